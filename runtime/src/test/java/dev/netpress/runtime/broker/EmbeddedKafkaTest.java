package dev.netpress.runtime.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            Path dir = kafka.directory();
            kafka.close();
            assertFalse(Files.exists(dir), "close() deletes the broker's directory");
        }
    }

    @Test
    void producesAndConsumesARecord() throws Exception {
        kafka.createTopics("plain");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(Map.of()))) {
            producer.send(new ProducerRecord<>("plain", "lineage-1", "hello")).get(30, TimeUnit.SECONDS);
        }
        List<ConsumerRecord<String, String>> records = consume("plain", "read_uncommitted", 1);
        assertEquals(1, records.size());
        assertEquals("lineage-1", records.get(0).key());
        assertEquals("hello", records.get(0).value());
    }

    @Test
    void readCommittedSeesCommittedTransactionsOnly() throws Exception {
        kafka.createTopics("tx");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-kafka-test")))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx", "k", "aborted"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx", "k", "committed"));
            producer.commitTransaction();
        }
        List<ConsumerRecord<String, String>> records = consume("tx", "read_committed", 1);
        assertEquals(List.of("committed"), records.stream().map(ConsumerRecord::value).toList());
    }

    @Test
    void creatingAnExistingTopicIsHarmless() throws Exception {
        kafka.createTopics(3, "again");
        kafka.createTopics(3, "again");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps("read_uncommitted"))) {
            assertEquals(3, consumer.partitionsFor("again").size());
        }
    }

    private static Properties producerProps(Map<String, String> extra) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.putAll(extra);
        return p;
    }

    private static Properties consumerProps(String isolation) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + isolation + "-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return p;
    }

    /** Polls until {@code expected} records arrived, then a little longer to catch any extra. */
    private static List<ConsumerRecord<String, String>> consume(String topic, String isolation, int expected) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps(isolation))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            consumer.poll(Duration.ofMillis(300)).forEach(out::add);
        }
        assertTrue(out.size() >= expected, "expected " + expected + " records, got " + out.size());
        return out;
    }
}
