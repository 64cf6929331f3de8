# Apache Kafka 4.1 for docker-compose.local.yml: the broker jars that scripts/kafka resolves from Maven
# Central, on Debian's Java 17, started by scripts/kafka/start.sh in the foreground. Build context: the
# repository root.
FROM peregrine-local/debian:bookworm
RUN apt-get -o Acquire::Retries=3 update && apt-get -o Acquire::Retries=3 install -y --no-install-recommends openjdk-17-jre-headless maven \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --home-dir /var/lib/kafka kafka
COPY scripts/kafka /opt/peregrine/scripts/kafka
ENV KAFKA_LIBS=/opt/kafka/libs
RUN mkdir -p /opt/kafka && bash /opt/peregrine/scripts/kafka/resolve.sh && rm -rf /root/.m2
USER kafka
# KAFKA_KEEP_DATA: a restarted container keeps what its broker held.
ENV KAFKA_FOREGROUND=1 KAFKA_KEEP_DATA=1 KAFKA_HOME_DIR=/var/lib/kafka/broker
CMD ["bash", "/opt/peregrine/scripts/kafka/start.sh"]
