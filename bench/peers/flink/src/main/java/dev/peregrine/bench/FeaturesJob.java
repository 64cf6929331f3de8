package dev.peregrine.bench;

import org.apache.flink.streaming.api.datastream.DataStream;

/** bench:cep's work: keyBy account, the features operator, one output per payment to the counting sink. */
public final class FeaturesJob {
    private FeaturesJob() {}

    static void build(DataStream<Event> source) {
        source.keyBy(event -> event.accountId)
                .process(new FeaturesFunction(false))
                .name("features")
                .sinkTo(new CountingSink<Enriched>(Answers::onPayment))
                .name("count");
    }
}
