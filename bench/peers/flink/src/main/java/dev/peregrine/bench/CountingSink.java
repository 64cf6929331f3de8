package dev.peregrine.bench;

import java.util.function.BiConsumer;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * The end of a peer job: each output goes to the run's answers, and the end of input closes the
 * timed region. The answers live in this JVM (local execution), not in the job graph.
 */
public final class CountingSink<T> implements Sink<T> {
    private final SerializableBiConsumer<Answers, T> count;

    public interface SerializableBiConsumer<A, B> extends BiConsumer<A, B>, java.io.Serializable {}

    public CountingSink(SerializableBiConsumer<Answers, T> count) {
        this.count = count;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        Answers answers = PeerBench.answers();
        return new SinkWriter<>() {
            @Override
            public void write(T output, Context context) {
                count.accept(answers, output);
            }

            @Override
            public void flush(boolean endOfInput) {
                if (endOfInput) Timing.end();
            }

            @Override
            public void close() {}
        };
    }
}
