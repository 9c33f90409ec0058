package com.rewards.systemtests;

import static com.rewards.systemtests.Repo.at;
import static com.rewards.systemtests.Repo.list;
import static com.rewards.systemtests.Repo.map;
import static com.rewards.systemtests.Repo.str;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every object each overlay (and deploy/observability) renders to, checked against its schema the
 * way the API server would: built-in kinds and Gateway API are bound to fabric8's Kubernetes model
 * (generated from the Kubernetes and Gateway API OpenAPI schemas), refusing any field the schema
 * lacks and any scalar of the wrong type; the operators' CRDs (Strimzi, CloudNativePG), which have
 * no model here, get the fields their API references state: allowed spec keys, required fields and
 * enumerations. An object of any other kind is a failure (nothing unchecked gets applied).
 */
class RenderedObjectsTest {

  /** The built-in and Gateway API kinds deploy/ uses, by apiVersion/kind. */
  static final Map<String, Class<?>> MODEL =
      Map.of(
          "v1/ConfigMap", ConfigMap.class,
          "v1/Service", Service.class,
          "v1/Namespace", Namespace.class,
          "apps/v1/Deployment", Deployment.class,
          "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
          "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
          "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
          "gateway.networking.k8s.io/v1/Gateway", Gateway.class,
          "gateway.networking.k8s.io/v1/HTTPRoute", HTTPRoute.class);

  /**
   * Strict binding. fabric8's classes keep unknown fields in an "additionalProperties" map instead
   * of failing, so {@link #unknownFields} walks the bound object for them; scalars are not coerced
   * (a quoted number where the API wants an integer is refused, as by the API server).
   */
  static final ObjectMapper STRICT =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .build();

  static List<Path> renderedDirs() {
    List<Path> dirs = new ArrayList<>(DeployManifestsTest.overlays());
    dirs.add(Repo.path("deploy/observability"));
    return dirs;
  }

  static List<Map<String, Object>> render(Path dir) throws IOException, InterruptedException {
    Path stderr = Files.createTempFile("kustomize", ".err");
    Process p =
        new ProcessBuilder("kubectl", "kustomize", dir.toString())
            .redirectError(stderr.toFile())
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "kubectl kustomize " + dir + " hung");
    String errors = Repo.read(stderr).strip();
    Files.deleteIfExists(stderr);
    assertTrue(p.exitValue() == 0, "kubectl kustomize " + Repo.rel(dir) + " failed: " + errors);
    List<Map<String, Object>> objs = new ArrayList<>();
    for (Object d : Repo.loadAll(out)) {
      objs.add(map(d));
    }
    return objs;
  }

  @Test
  void everyRenderedObjectMatchesItsSchema() throws Exception {
    Assumptions.assumeTrue(DeployManifestsTest.kubectlAvailable(), DeployManifestsTest.NO_KUBECTL);
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (Path dir : renderedDirs()) {
      for (Map<String, Object> o : render(dir)) {
        String w = Repo.rel(dir) + " " + str(o, "kind") + "/" + str(o, "metadata", "name") + ": ";
        problems.addAll(validate(o).stream().map(p -> w + p).toList());
        checked++;
      }
    }
    assertTrue(checked > 50, "only " + checked + " objects rendered");
    DeployManifestsTest.assertNone(problems);
  }

  /** A broken object must fail: the check is only worth something if it can. */
  @Test
  void theSchemaCheckRefusesBrokenObjects() {
    Map<String, Object> deployment =
        Map.of(
            "apiVersion",
            "apps/v1",
            "kind",
            "Deployment",
            "metadata",
            Map.of("name", "x"),
            "spec",
            Map.of(
                "selector", Map.of("matchLabels", Map.of("a", "b")),
                "template",
                    Map.of(
                        "metadata", Map.of("labels", Map.of("a", "b")),
                        "spec",
                            Map.of(
                                "containers",
                                List.of(
                                    Map.of(
                                        "name",
                                        "c",
                                        "image",
                                        "i:1",
                                        "readinesProbe",
                                        Map.of()))))));
    assertFalse(validate(deployment).isEmpty(), "a misspelt container field passed");
    Map<String, Object> service =
        Map.of(
            "apiVersion",
            "v1",
            "kind",
            "Service",
            "metadata",
            Map.of("name", "s"),
            "spec",
            Map.of("ports", List.of(Map.of("port", "eighty"))));
    assertFalse(validate(service).isEmpty(), "a string port passed");
    Map<String, Object> topic =
        Map.of(
            "apiVersion",
            "kafka.strimzi.io/v1beta2",
            "kind",
            "KafkaTopic",
            "metadata",
            Map.of("name", "t", "labels", Map.of("strimzi.io/cluster", "k")),
            "spec",
            Map.of("partitions", 3, "replica", 3));
    assertFalse(validate(topic).isEmpty(), "a misspelt KafkaTopic field passed");
    Map<String, Object> unknownKind =
        Map.of("apiVersion", "example.com/v1", "kind", "Thing", "metadata", Map.of("name", "t"));
    assertFalse(validate(unknownKind).isEmpty(), "an unknown kind passed");
  }

  static List<String> validate(Map<String, Object> o) {
    List<String> problems = new ArrayList<>();
    String type = str(o, "apiVersion") + "/" + str(o, "kind");
    Class<?> model = MODEL.get(type);
    if (model != null) {
      try {
        Object bound = STRICT.convertValue(o, model);
        unknownFields(bound, "", problems);
        required(type, o, problems);
      } catch (IllegalArgumentException e) {
        problems.add("does not match the " + type + " schema: " + firstLine(e.getMessage()));
      }
      return problems;
    }
    Map<String, Object> copy = new LinkedHashMap<>(o);
    for (String key : List.of("apiVersion", "kind", "metadata", "spec")) {
      copy.remove(key);
    }
    if (!copy.isEmpty()) {
      problems.add("unknown top-level field(s) " + copy.keySet());
    }
    try {
      unknownFields(STRICT.convertValue(o.get("metadata"), ObjectMeta.class), "metadata", problems);
    } catch (IllegalArgumentException e) {
      problems.add("metadata: " + firstLine(e.getMessage()));
    }
    Map<String, Object> spec = map(o.get("spec"));
    switch (type) {
      case "kafka.strimzi.io/v1beta2/Kafka" -> Crds.kafka(spec, problems);
      case "kafka.strimzi.io/v1beta2/KafkaNodePool" -> Crds.nodePool(spec, problems);
      case "kafka.strimzi.io/v1beta2/KafkaTopic" -> Crds.topic(o, spec, problems);
      case "kafka.strimzi.io/v1beta2/KafkaUser" -> Crds.user(o, spec, problems);
      case "postgresql.cnpg.io/v1/Cluster" -> Crds.cnpgCluster(spec, problems);
      default -> problems.add("no schema known for " + type + " (add it to RenderedObjectsTest)");
    }
    return problems;
  }

  static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }

  /** Fields the API server requires that the model's binding cannot enforce (it allows nulls). */
  static void required(String type, Map<String, Object> o, List<String> problems) {
    List<String[]> paths =
        switch (type) {
          case "apps/v1/Deployment" ->
              List.of(
                  new String[] {"spec", "selector"},
                  new String[] {"spec", "template", "spec", "containers", "0", "name"},
                  new String[] {"spec", "template", "spec", "containers", "0", "image"});
          case "autoscaling/v2/HorizontalPodAutoscaler" ->
              List.of(
                  new String[] {"spec", "scaleTargetRef", "name"},
                  new String[] {"spec", "maxReplicas"});
          case "networking.k8s.io/v1/NetworkPolicy" ->
              List.<String[]>of(new String[] {"spec", "podSelector"});
          case "gateway.networking.k8s.io/v1/HTTPRoute" ->
              List.<String[]>of(new String[] {"spec", "parentRefs", "0", "name"});
          case "gateway.networking.k8s.io/v1/Gateway" ->
              List.of(
                  new String[] {"spec", "gatewayClassName"},
                  new String[] {"spec", "listeners", "0", "port"});
          default -> List.of();
        };
    for (String[] path : paths) {
      if (at(o, path) == null) {
        problems.add("required " + String.join(".", path) + " is missing");
      }
    }
    if ("v1/Service".equals(type)) {
      for (Object port : list(at(o, "spec", "ports"))) {
        if (!(map(port).get("port") instanceof Integer)) {
          problems.add("a Service port without an integer port");
        }
      }
    }
    for (Object c : list(at(o, "spec", "template", "spec", "containers"))) {
      if (str(c, "name") == null || str(c, "image") == null) {
        problems.add("a container without name or image");
      }
    }
  }

  /**
   * Fields fabric8 kept in additionalProperties (it does not fail on them): unknown to the schema.
   */
  static void unknownFields(Object o, String path, List<String> problems) {
    if (o == null || o instanceof String || o instanceof Number || o instanceof Boolean) {
      return;
    }
    if (o instanceof Map<?, ?> m) {
      m.forEach((k, v) -> unknownFields(v, path + "." + k, problems));
      return;
    }
    if (o instanceof Collection<?> c) {
      int i = 0;
      for (Object e : c) {
        unknownFields(e, path + "[" + i++ + "]", problems);
      }
      return;
    }
    if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (Method m : o.getClass().getMethods()) {
      if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      try {
        if (m.getName().equals("getAdditionalProperties")) {
          Map<?, ?> extra = (Map<?, ?>) m.invoke(o);
          if (extra != null && !extra.isEmpty()) {
            problems.add(
                (path.isEmpty() ? "" : path.substring(path.startsWith(".") ? 1 : 0) + ": ")
                    + "field(s) not in the schema: "
                    + new TreeSet<>(extra.keySet().stream().map(String::valueOf).toList()));
          }
        } else {
          JsonProperty prop = m.getAnnotation(JsonProperty.class);
          if (prop != null) {
            unknownFields(m.invoke(o), path + "." + prop.value(), problems);
          }
        }
      } catch (IllegalAccessException | InvocationTargetException e) {
        problems.add(path + ": cannot read " + m.getName() + ": " + e);
      }
    }
  }

  /**
   * The operators' custom resources, from their API references: Strimzi's
   * (kafka.strimzi.io/v1beta2, 0.46+) and CloudNativePG's (postgresql.cnpg.io/v1). Only the
   * top-level spec keys, the required fields and enumerations are checked: nested schemas are
   * theirs to validate at apply time.
   */
  static final class Crds {
    private Crds() {}

    static final Set<String> KAFKA_SPEC =
        Set.of(
            "kafka",
            "zookeeper",
            "entityOperator",
            "clusterCa",
            "clientsCa",
            "cruiseControl",
            "kafkaExporter",
            "maintenanceTimeWindows",
            "jmxTrans");
    static final Set<String> KAFKA_CLUSTER_SPEC =
        Set.of(
            "version",
            "metadataVersion",
            "replicas",
            "image",
            "listeners",
            "config",
            "storage",
            "authorization",
            "rack",
            "brokerRackInitImage",
            "livenessProbe",
            "readinessProbe",
            "jvmOptions",
            "jmxOptions",
            "resources",
            "metricsConfig",
            "logging",
            "template",
            "tieredStorage",
            "quotas");
    static final Set<String> LISTENER_TYPES =
        Set.of("internal", "route", "loadbalancer", "nodeport", "ingress", "cluster-ip");
    static final Set<String> ENTITY_OPERATOR =
        Set.of("topicOperator", "userOperator", "tlsSidecar", "template");
    static final Set<String> NODE_POOL_SPEC =
        Set.of("replicas", "storage", "roles", "resources", "jvmOptions", "template");
    static final Set<String> STORAGE_TYPES = Set.of("ephemeral", "persistent-claim", "jbod");
    static final Set<String> TOPIC_SPEC = Set.of("partitions", "replicas", "config", "topicName");
    static final Set<String> USER_SPEC =
        Set.of("authentication", "authorization", "quotas", "template");
    static final Set<String> USER_AUTH = Set.of("tls", "tls-external", "scram-sha-512");
    static final Set<String> ACL_RESOURCES = Set.of("topic", "group", "cluster", "transactionalId");
    static final Set<String> ACL_OPERATIONS =
        Set.of(
            "Read",
            "Write",
            "Create",
            "Delete",
            "Alter",
            "Describe",
            "ClusterAction",
            "AlterConfigs",
            "DescribeConfigs",
            "IdempotentWrite",
            "All");
    static final Set<String> CNPG_SPEC =
        Set.of(
            "description",
            "inheritedMetadata",
            "imageName",
            "imageCatalogRef",
            "imagePullPolicy",
            "imagePullSecrets",
            "schedulerName",
            "postgresUID",
            "postgresGID",
            "instances",
            "minSyncReplicas",
            "maxSyncReplicas",
            "postgresql",
            "replicationSlots",
            "bootstrap",
            "replica",
            "superuserSecret",
            "enableSuperuserAccess",
            "certificates",
            "startDelay",
            "stopDelay",
            "smartShutdownTimeout",
            "switchoverDelay",
            "failoverDelay",
            "livenessProbeTimeout",
            "affinity",
            "topologySpreadConstraints",
            "resources",
            "ephemeralVolumesSizeLimit",
            "priorityClassName",
            "primaryUpdateStrategy",
            "primaryUpdateMethod",
            "backup",
            "nodeMaintenanceWindow",
            "monitoring",
            "externalClusters",
            "logLevel",
            "projectedVolumeTemplate",
            "env",
            "envFrom",
            "managed",
            "seccompProfile",
            "tablespaces",
            "enablePDB",
            "plugins",
            "probes",
            "storage",
            "walStorage",
            "serviceAccountTemplate",
            "ephemeralVolumeSource");

    static void keys(String where, Map<String, Object> m, Set<String> allowed, List<String> out) {
      Set<String> unknown = new TreeSet<>(m.keySet());
      unknown.removeAll(allowed);
      if (!unknown.isEmpty()) {
        out.add(where + ": field(s) not in the schema: " + unknown);
      }
    }

    static boolean positiveInt(Object o) {
      return o instanceof Integer i && i > 0;
    }

    static void kafka(Map<String, Object> spec, List<String> out) {
      keys("spec", spec, KAFKA_SPEC, out);
      Map<String, Object> kafka = map(spec.get("kafka"));
      if (kafka.isEmpty()) {
        out.add("required spec.kafka is missing");
      }
      keys("spec.kafka", kafka, KAFKA_CLUSTER_SPEC, out);
      keys("spec.entityOperator", map(spec.get("entityOperator")), ENTITY_OPERATOR, out);
      List<Object> listeners = list(kafka.get("listeners"));
      if (listeners.isEmpty()) {
        out.add("required spec.kafka.listeners is missing");
      }
      for (Object l : listeners) {
        if (str(l, "name") == null
            || !positiveInt(map(l).get("port"))
            || !(map(l).get("tls") instanceof Boolean)
            || !LISTENER_TYPES.contains(str(l, "type"))) {
          out.add(
              "listener "
                  + str(l, "name")
                  + ": needs name, port, type "
                  + LISTENER_TYPES
                  + ", tls");
        }
      }
    }

    static void nodePool(Map<String, Object> spec, List<String> out) {
      keys("spec", spec, NODE_POOL_SPEC, out);
      if (!(spec.get("replicas") instanceof Integer r) || r < 0) {
        out.add("required spec.replicas (integer) is missing");
      }
      List<Object> roles = list(spec.get("roles"));
      if (roles.isEmpty() || !Set.of("controller", "broker").containsAll(roles)) {
        out.add("spec.roles must be controller and/or broker, is " + roles);
      }
      if (!STORAGE_TYPES.contains(str(spec, "storage", "type"))) {
        out.add("spec.storage.type must be one of " + STORAGE_TYPES);
      }
    }

    static void topic(Map<String, Object> o, Map<String, Object> spec, List<String> out) {
      keys("spec", spec, TOPIC_SPEC, out);
      for (String k : List.of("partitions", "replicas")) {
        if (spec.containsKey(k) && !positiveInt(spec.get(k))) {
          out.add("spec." + k + " must be a positive integer");
        }
      }
      if (str(o, "metadata", "labels", "strimzi.io/cluster") == null) {
        out.add("no strimzi.io/cluster label (the Topic Operator would ignore it)");
      }
    }

    static void user(Map<String, Object> o, Map<String, Object> spec, List<String> out) {
      keys("spec", spec, USER_SPEC, out);
      if (spec.containsKey("authentication")
          && !USER_AUTH.contains(str(spec, "authentication", "type"))) {
        out.add("spec.authentication.type must be one of " + USER_AUTH);
      }
      if (spec.containsKey("authorization")) {
        if (!"simple".equals(str(spec, "authorization", "type"))) {
          out.add("spec.authorization.type must be simple");
        }
        for (Object acl : list(at(spec, "authorization", "acls"))) {
          Map<String, Object> r = map(map(acl).get("resource"));
          if (!ACL_RESOURCES.contains(str(r, "type"))
              || (!"cluster".equals(str(r, "type")) && str(r, "name") == null)
              || (r.containsKey("patternType")
                  && !Set.of("literal", "prefix").contains(str(r, "patternType")))) {
            out.add("ACL resource " + r + " is not valid");
          }
          List<Object> ops = list(map(acl).get("operations"));
          if (ops.isEmpty() || !ACL_OPERATIONS.containsAll(ops)) {
            out.add("ACL operations " + ops + " are not among " + ACL_OPERATIONS);
          }
        }
      }
      if (str(o, "metadata", "labels", "strimzi.io/cluster") == null) {
        out.add("no strimzi.io/cluster label (the User Operator would ignore it)");
      }
    }

    static void cnpgCluster(Map<String, Object> spec, List<String> out) {
      keys("spec", spec, CNPG_SPEC, out);
      if (!positiveInt(spec.get("instances"))) {
        out.add("required spec.instances (integer >= 1) is missing");
      }
      if (str(spec, "storage", "size") == null && at(spec, "storage", "pvcTemplate") == null) {
        out.add("spec.storage needs size or pvcTemplate");
      }
      Map<String, Object> initdb = map(at(spec, "bootstrap", "initdb"));
      if (!initdb.isEmpty() && (initdb.get("database") == null) != (initdb.get("owner") == null)) {
        out.add("bootstrap.initdb: database and owner go together");
      }
    }
  }
}
