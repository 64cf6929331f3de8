package dev.peregrine.bench;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * One Flink run of a peer benchmark job, as `npm run bench:peers` starts it (pinned to one core):
 * the workload file read into memory, a warm-up job on its first 100,000 records, then the whole
 * workload, timed from the source's first record to the sink's end of input (job submission and
 * the local cluster's start-up are not). Prints one JSON line, in the shape of
 * bench/peers/peregrine.ts.
 *
 * <pre>java -cp 'target/classes:target/lib/*' dev.peregrine.bench.PeerBench --job features|rules --workload FILE</pre>
 */
public final class PeerBench {
    /** Out-of-orderness bound of the watermarks, as bench/cep-input.ts. */
    static final Duration BOUND = Duration.ofMillis(2_000);
    private static final int WARM_UP_RECORDS = 100_000;

    /** The records the source hands over: this JVM's, as local execution runs the job here. */
    private static Event[] records;
    private static Answers answers;

    private PeerBench() {}

    static Answers answers() {
        return answers;
    }

    public static void main(String[] args) throws Exception {
        String job = argument(args, "--job");
        if (!job.equals("features") && !job.equals("rules")) throw new IllegalArgumentException("--job takes features or rules");
        records = Workload.read(Path.of(argument(args, "--workload")));
        run(job, Math.min(WARM_UP_RECORDS, records.length));
        run(job, records.length);
        System.out.printf(
                "{\"engine\":\"flink\",\"job\":\"%s\",\"events\":%d,\"seconds\":%s,\"cpuSeconds\":%s,\"answers\":%s}%n",
                job, records.length, Timing.seconds(), Timing.cpuSeconds(), answers.toJson());
    }

    private static void run(String job, int count) throws Exception {
        answers = new Answers();
        Timing.reset();
        Configuration configuration = new Configuration();
        configuration.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration);
        env.setParallelism(1);
        env.getConfig().enableObjectReuse();
        DataStream<Event> source = env.fromSource(
                new DataGeneratorSource<>(PeerBench::record, count, RateLimiterStrategy.noOp(), TypeInformation.of(Event.class)),
                WatermarkStrategy.<Event>forBoundedOutOfOrderness(BOUND).withTimestampAssigner((event, previous) -> event.eventTime),
                "workload");
        if (job.equals("features")) FeaturesJob.build(source);
        else RulesJob.build(source);
        env.execute("peregrine-peer-" + job);
    }

    private static Event record(Long index) {
        if (index == 0) Timing.start();
        return records[(int) (long) index];
    }

    private static String argument(String[] args, String name) {
        for (int i = 0; i + 1 < args.length; i++) if (args[i].equals(name)) return args[i + 1];
        throw new IllegalArgumentException(name + " is required");
    }
}
