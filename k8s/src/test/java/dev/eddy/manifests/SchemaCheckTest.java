package dev.eddy.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The schema check refuses what the API server (or the operator's CRD) would refuse: each case is a
 * small resource with one mistake of the kind a hand-edited manifest gets, and the check must name it.
 */
class SchemaCheckTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static List<String> problems(String yaml) throws Exception {
        return Schemas.problems(new Manifest(Path.of("case.yaml"), 0, YAML.readTree(yaml)));
    }

    private static void refused(String yaml, String mentioning) throws Exception {
        List<String> problems = problems(yaml);
        assertTrue(problems.stream().anyMatch(p -> p.contains(mentioning)),
                "expected a problem mentioning " + mentioning + ", got " + problems);
    }

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: d, namespace: eddy}
            spec:
              selector: {matchLabels: {a: b}}
              template:
                metadata: {labels: {a: b}}
                spec:
                  containers:
                    - name: c
                      image: eddy
                      %s
            """;

    @Test
    void aValidDeploymentPasses() throws Exception {
        assertEquals(List.of(), problems(DEPLOYMENT.formatted("ports: [{containerPort: 8000}]")));
    }

    @Test
    void aFieldKubernetesDoesNotHaveIsRefused() throws Exception {
        refused(DEPLOYMENT.formatted("readinesProbe: {httpGet: {path: /q/health/ready, port: 8000}}"), "readinesProbe");
    }

    @Test
    void aStringWhereANumberBelongsIsRefused() throws Exception {
        refused(DEPLOYMENT.formatted("ports: [{containerPort: \"8000\"}]"), "containerPort");
    }

    @Test
    void aMemoryThatIsNoQuantityIsRefused() throws Exception {
        refused(DEPLOYMENT.formatted("resources: {limits: {memory: 1 gigabyte}}"), "memory");
    }

    @Test
    void anAnnotationThatIsNoStringIsRefused() throws Exception {
        refused("""
                apiVersion: serving.knative.dev/v1
                kind: Service
                metadata: {name: eddy, namespace: eddy}
                spec:
                  template:
                    metadata:
                      annotations:
                        autoscaling.knative.dev/min-scale: 0
                    spec:
                      containers: [{image: eddy}]
                """, "min-scale");
    }

    @Test
    void aKnativeFieldThatDoesNotExistIsRefused() throws Exception {
        refused("""
                apiVersion: sources.knative.dev/v1beta1
                kind: KafkaSource
                metadata: {name: s, namespace: eddy}
                spec:
                  bootstrapServers: [k:9093]
                  topics: [t]
                  net: {sasl: {enabled: true}}
                """, "enabled");
    }

    @Test
    void aStrimziFieldOfAnotherApiVersionIsRefused() throws Exception {
        // spec.kafka.replicas is v1beta2 only: v1 takes replicas from KafkaNodePool resources
        refused("""
                apiVersion: kafka.strimzi.io/v1
                kind: Kafka
                metadata: {name: k, namespace: eddy}
                spec:
                  kafka:
                    replicas: 3
                    listeners: [{name: tls, port: 9093, type: internal, tls: true}]
                """, "replicas");
    }

    @Test
    void aStrimziAuthenticationTypeThatDoesNotExistIsRefused() throws Exception {
        refused("""
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaUser
                metadata: {name: u, namespace: eddy, labels: {strimzi.io/cluster: k}}
                spec:
                  authentication: {type: scram-sha-256}
                """, "scram-sha-256");
    }

    @Test
    void aMissingRequiredStrimziPropertyIsRefused() throws Exception {
        refused("""
                apiVersion: kafka.strimzi.io/v1
                kind: Kafka
                metadata: {name: k, namespace: eddy}
                spec:
                  kafka:
                    listeners: [{name: tls, port: 9093, tls: true}]
                """, "type");
    }

    @Test
    void aStrimziApiVersionThatStrimzi1NoLongerServesIsRefused() throws Exception {
        refused("""
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaTopic
                metadata: {name: t, namespace: eddy}
                spec: {partitions: 1}
                """, "no published schema");
    }

    private static final String INFINISPAN = """
            apiVersion: infinispan.org/v1
            kind: Infinispan
            metadata: {name: i, namespace: eddy}
            spec:
              replicas: 3
              %s
            """;

    @Test
    void aValidInfinispanPasses() throws Exception {
        assertEquals(List.of(), problems(INFINISPAN.formatted("service: {type: DataGrid}")));
    }

    @Test
    void anInfinispanFieldTheOperatorDoesNotHaveIsRefused() throws Exception {
        refused(INFINISPAN.formatted("service: {type: DataGrid, owners: 2}"), "owners");
    }

    @Test
    void anInfinispanValueOutsideTheOperatorsEnumIsRefused() throws Exception {
        refused(INFINISPAN.formatted("service: {type: Distributed}"), "type");
    }

    @Test
    void anInfinispanWithoutItsRequiredReplicasIsRefused() throws Exception {
        refused("""
                apiVersion: infinispan.org/v1
                kind: Infinispan
                metadata: {name: i, namespace: eddy}
                spec: {service: {type: DataGrid}}
                """, "replicas");
    }

    @Test
    void anInfinispanWithBadMetadataIsRefused() throws Exception {
        refused(INFINISPAN.formatted("service: {type: DataGrid}").replace("namespace: eddy", "namespaces: eddy"),
                "namespaces");
    }

    @Test
    void aKindWithNoPublishedSchemaIsRefused() throws Exception {
        refused("""
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: w}
                """, "no published schema");
    }
}
