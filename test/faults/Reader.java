// The fault suite's independent reader: Kafka's own Java consumer, reading read_committed, and none of
// Peregrine's code. It reads the outputs of two runs of one simulated input, a fault-free one (the
// expected namespace) and one with faults injected (the actual namespace), and gives the verdict:
// exactly one output per input, no duplicates, and every output byte for byte the fault-free run's.
//
//   java -cp '.kafka/libs-4.1.1/*' test/faults/Reader.java --bootstrap 127.0.0.1:9092 --expected NS --actual NS [--scored-ids FILE]
//
// With --scored-ids, it also writes the transaction ids of the actual run's scored records to FILE,
// sorted, one per line: the set the fraud store's database must hold.
//
// Records are told apart by the first field of their Avro value (Confluent framing: a zero byte and a
// 4-byte schema id first): a scored transaction's transaction id, an alert's id, and for a dead letter
// its source topic, partition and offset. A dead letter's source topic names its run's namespace, so
// it is compared without it; nothing else in an output depends on the run.
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

public class Reader {
  /** Ids shown per kind of difference, for whoever looks into a failure. */
  static final int EXAMPLES = 5;

  record Output(String id, byte[] comparable) {}

  /** A run's records of one topic: how many, and each id's values in log order. */
  record Topic(long records, Map<String, List<byte[]>> byId) {
    long duplicates() {
      return byId.values().stream().mapToLong(values -> values.size() - 1).sum();
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    String bootstrap = options.getOrDefault("bootstrap", "127.0.0.1:9092");
    String expected = required(options, "expected");
    String actual = required(options, "actual");

    try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
      Map<String, Long> inputs = new LinkedHashMap<>();
      for (String ns : List.of(expected, actual)) inputs.put(ns, read(consumer, ns + ".payments.transactions", v -> null).records());

      List<String[]> rows = new ArrayList<>();
      List<String> examples = new ArrayList<>();
      boolean pass = true;
      Map<String, Long> deadLetteredPayments = new HashMap<>();
      Map<String, Long> scored = new HashMap<>();
      for (String topic : List.of("fraud.scored", "fraud.alerts", "fraud.dlq")) {
        Topic want = read(consumer, expected + "." + topic, value -> identify(topic, value, expected));
        Topic got = read(consumer, actual + "." + topic, value -> identify(topic, value, actual));
        long missing = 0, extra = 0, mismatched = 0;
        for (Map.Entry<String, List<byte[]>> entry : want.byId().entrySet()) {
          List<byte[]> values = got.byId().get(entry.getKey());
          if (values == null) {
            if (missing++ < EXAMPLES) examples.add(topic + " missing: " + entry.getKey());
          } else if (!Arrays.equals(entry.getValue().get(0), values.get(0))) {
            if (mismatched++ < EXAMPLES) examples.add(topic + " mismatched: " + entry.getKey());
          }
        }
        for (String id : got.byId().keySet()) {
          if (!want.byId().containsKey(id) && extra++ < EXAMPLES) examples.add(topic + " extra: " + id);
        }
        long duplicates = want.duplicates() + got.duplicates();
        pass &= missing == 0 && extra == 0 && mismatched == 0 && duplicates == 0;
        rows.add(new String[] {topic, str(want.records()), str(got.records()), str(duplicates), str(missing), str(extra), str(mismatched)});
        if (topic.equals("fraud.scored")) {
          scored.put(expected, want.records());
          scored.put(actual, got.records());
          String idsFile = options.get("scored-ids");
          if (idsFile != null) Files.write(Path.of(idsFile), got.byId().keySet().stream().sorted().toList());
        }
        if (topic.equals("fraud.dlq")) {
          deadLetteredPayments.put(expected, countFrom(want, "payments.transactions/"));
          deadLetteredPayments.put(actual, countFrom(got, "payments.transactions/"));
        }
      }
      System.out.println("Independent reader (Kafka " + org.apache.kafka.common.utils.AppInfoParser.getVersion() + " Java consumer, read_committed)");
      System.out.println("expected: " + expected + " (no faults)   actual: " + actual);
      printTable(new String[] {"topic", "expected", "actual", "duplicates", "missing", "extra", "mismatched"}, rows);
      examples.forEach(example -> System.out.println("  " + example));
      StringBuilder json = new StringBuilder("{\"pass\":");
      for (String ns : List.of(expected, actual)) {
        long in = inputs.get(ns), out = scored.get(ns) + deadLetteredPayments.get(ns);
        boolean exact = in == out;
        pass &= exact;
        System.out.printf("%s: %d payment records in, %d scored + %d dead-lettered = %d%s%n", ns, in, scored.get(ns), deadLetteredPayments.get(ns), out, exact ? "" : "  MISMATCH");
      }
      json.append(pass).append(",\"rows\":[");
      json.append(rows.stream().map(Reader::rowJson).collect(Collectors.joining(",")));
      json.append("],\"paymentsIn\":").append(inputs.get(actual)).append(",\"scored\":").append(scored.get(actual)).append(",\"deadLettered\":").append(deadLetteredPayments.get(actual)).append('}');
      System.out.println(pass ? "VERDICT: PASS" : "VERDICT: FAIL");
      System.out.println("RESULT " + json);
      System.exit(pass ? 0 : 1);
    }
  }

  interface Identify {
    Output apply(byte[] value);
  }

  static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** Every committed record of the topic, from the beginning to its last stable offset. */
  static Topic read(KafkaConsumer<byte[], byte[]> consumer, String topic, Identify identify) {
    List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    if (partitions.isEmpty()) throw new IllegalStateException("topic " + topic + " does not exist");
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    Map<String, List<byte[]>> byId = new LinkedHashMap<>();
    long records = 0;
    long deadline = System.currentTimeMillis() + 300_000;
    while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
      if (System.currentTimeMillis() > deadline) throw new IllegalStateException("reading " + topic + " did not reach its end in 5 minutes");
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
        records++;
        Output output = identify.apply(record.value());
        if (output != null) byId.computeIfAbsent(output.id(), id -> new ArrayList<>()).add(output.comparable());
      }
    }
    return new Topic(records, byId);
  }

  /** The record's id and the bytes to compare; a dead letter's source topic loses its namespace in both. */
  static Output identify(String topic, byte[] value, String namespace) {
    if (value == null || value.length < 5 || value[0] != 0) throw new IllegalStateException(topic + " holds a record without Confluent framing");
    int[] at = {5};
    String first = readString(value, at);
    if (!topic.equals("fraud.dlq")) return new Output(first, value);
    String sourceTopic = first.startsWith(namespace + ".") ? first.substring(namespace.length() + 1) : first;
    int afterTopic = at[0];
    long partition = readLong(value, at);
    String offset = readString(value, at);
    byte[] rest = Arrays.copyOfRange(value, afterTopic, value.length);
    byte[] schemaId = Arrays.copyOfRange(value, 0, 5);
    byte[] comparable = concat(schemaId, sourceTopic.getBytes(StandardCharsets.UTF_8), rest);
    return new Output(sourceTopic + "/" + partition + "/" + offset, comparable);
  }

  static long countFrom(Topic topic, String prefix) {
    return topic.byId().entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(e -> e.getValue().size()).sum();
  }

  /** Avro's zig-zag variable-length long. */
  static long readLong(byte[] bytes, int[] at) {
    long raw = 0;
    int shift = 0;
    while (true) {
      int b = bytes[at[0]++] & 0xff;
      raw |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) break;
      shift += 7;
    }
    return (raw >>> 1) ^ -(raw & 1);
  }

  static String readString(byte[] bytes, int[] at) {
    int length = (int) readLong(bytes, at);
    String s = new String(bytes, at[0], length, StandardCharsets.UTF_8);
    at[0] += length;
    return s;
  }

  static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] p : parts) length += p.length;
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null) throw new IllegalArgumentException("--" + name + " is required");
    return value;
  }

  static String str(long n) {
    return Long.toString(n);
  }

  static String rowJson(String[] row) {
    return String.format("{\"topic\":\"%s\",\"expected\":%s,\"actual\":%s,\"duplicates\":%s,\"missing\":%s,\"extra\":%s,\"mismatched\":%s}", (Object[]) row);
  }

  static void printTable(String[] header, List<String[]> rows) {
    int[] widths = new int[header.length];
    for (int i = 0; i < header.length; i++) widths[i] = header[i].length();
    for (String[] row : rows) for (int i = 0; i < row.length; i++) widths[i] = Math.max(widths[i], row[i].length());
    StringBuilder line = new StringBuilder();
    for (int w : widths) line.append('+').append("-".repeat(w + 2));
    line.append('+');
    System.out.println(line);
    System.out.println(format(header, widths));
    System.out.println(line);
    for (String[] row : rows) System.out.println(format(row, widths));
    System.out.println(line);
  }

  static String format(String[] row, int[] widths) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < row.length; i++) s.append("| ").append(i == 0 ? pad(row[i], widths[i], false) : pad(row[i], widths[i], true)).append(' ');
    return s.append('|').toString();
  }

  static String pad(String s, int width, boolean right) {
    String fill = " ".repeat(width - s.length());
    return right ? fill + s : s + fill;
  }
}
