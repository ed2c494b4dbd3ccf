package dev.haguard.rules.common;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Images of software that keeps state (by the image name's last path segment) and where each keeps its data by
 * default: the official images' directories, then Bitnami's. memcached keeps nothing worth a volume.
 */
public final class Databases {

    /** Data directories by image name; an empty list: state that a restart may lose by design (a cache). */
    public static final Map<String, List<String>> DATA = Map.ofEntries(
            Map.entry("postgres", List.of("/var/lib/postgresql/data", "/bitnami/postgresql")),
            Map.entry("postgresql", List.of("/var/lib/postgresql/data", "/bitnami/postgresql")),
            Map.entry("mysql", List.of("/var/lib/mysql", "/bitnami/mysql")),
            Map.entry("mariadb", List.of("/var/lib/mysql", "/bitnami/mariadb")),
            Map.entry("mongo", List.of("/data/db", "/bitnami/mongodb")),
            Map.entry("mongodb", List.of("/data/db", "/bitnami/mongodb")),
            Map.entry("redis", List.of("/data", "/bitnami/redis/data")),
            Map.entry("valkey", List.of("/data", "/bitnami/valkey/data")),
            Map.entry("cassandra", List.of("/var/lib/cassandra", "/bitnami/cassandra")),
            Map.entry("elasticsearch", List.of("/usr/share/elasticsearch/data", "/bitnami/elasticsearch/data")),
            Map.entry("opensearch", List.of("/usr/share/opensearch/data", "/bitnami/opensearch/data")),
            Map.entry("etcd", List.of("/var/lib/etcd", "/bitnami/etcd")),
            Map.entry("zookeeper", List.of("/data", "/bitnami/zookeeper")),
            Map.entry("kafka", List.of("/var/lib/kafka/data", "/bitnami/kafka")),
            Map.entry("rabbitmq", List.of("/var/lib/rabbitmq", "/bitnami/rabbitmq/mnesia")),
            Map.entry("couchdb", List.of("/opt/couchdb/data", "/bitnami/couchdb")),
            Map.entry("influxdb", List.of("/var/lib/influxdb2", "/var/lib/influxdb", "/bitnami/influxdb")),
            Map.entry("neo4j", List.of("/data", "/bitnami/neo4j")),
            Map.entry("clickhouse-server", List.of("/var/lib/clickhouse")),
            Map.entry("clickhouse", List.of("/var/lib/clickhouse", "/bitnami/clickhouse")),
            Map.entry("memcached", List.of()));

    /** Environment variables that move a database's data directory, by image name. */
    public static final Map<String, String> DATA_ENV = Map.of("postgres", "PGDATA", "postgresql", "PGDATA",
            "etcd", "ETCD_DATA_DIR", "kafka", "KAFKA_LOG_DIRS");

    /** Every image name above. */
    public static final Set<String> NAMES = DATA.keySet();

    private Databases() {
    }

    /** "docker.io/library/postgres:16@sha256:..." to "postgres": the last segment of the path, without tag or digest. */
    public static String name(String image) {
        String path = image.split("@", 2)[0];
        String last = path.substring(path.lastIndexOf('/') + 1);
        int colon = last.indexOf(':');
        return (colon < 0 ? last : last.substring(0, colon)).toLowerCase(Locale.ROOT);
    }
}
