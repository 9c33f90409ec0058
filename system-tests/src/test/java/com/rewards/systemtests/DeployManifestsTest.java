package com.rewards.systemtests;

import static com.rewards.systemtests.Repo.at;
import static com.rewards.systemtests.Repo.list;
import static com.rewards.systemtests.Repo.map;
import static com.rewards.systemtests.Repo.rel;
import static com.rewards.systemtests.Repo.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks deploy/ (kustomize base and overlays for Kubernetes) without a cluster, against the
 * sources it is derived from: the services' application.properties (ports, databases, environment,
 * Kafka channels and consumer groups), gateway/routes.tsv (routed paths), docs/events/asyncapi.yaml
 * and topics.md (topics, partitions, retention). Every check collects all its problems and fails
 * with the list. Rendering the overlays needs kubectl 1.21+ (kustomize v4+) and is skipped,
 * visibly, where it is missing.
 */
class DeployManifestsTest {

  /**
   * Topics each service produces. Not in application.properties: services publish through the
   * platform's OutboxRelay (and analytics-service's PxEventPublisher for drops), both plain Kafka
   * producers that take the topic from a constant in the service's {@code event} package. {@link
   * #producedTopicsTableMatchesTheEventPackages()} keeps this table honest by reading those
   * constants.
   */
  /**
   * Services whose OutboxRelay writes in Kafka transactions, with transactional ids {@code
   * <service>-outbox-<uuid>}: they need Write and Describe on that prefix, nothing wider.
   */
  static final Set<String> OUTBOX_PRODUCERS =
      Set.of(
          "auth-service",
          "loyalty-service",
          "referral-service",
          "payment-service",
          "analytics-service");

  static final Map<String, Set<String>> PRODUCED_TOPICS =
      Map.of(
          "auth-service",
          Set.of("auth.users.v1", "auth.partners.v1", "auth.otp-deliveries.v1"),
          "loyalty-service",
          Set.of("loyalty.ledger.v1", "loyalty.redemptions.v1", "loyalty.erasures.v1"),
          "referral-service",
          Set.of("referral.referrals.v1", "referral.erasures.v1"),
          "payment-service",
          Set.of("payment.payments.v1", "payment.erasures.v1"),
          "analytics-service",
          Set.of("analytics.px-events.v1", "analytics.dlq.v1", "analytics.erasures.v1"));

  /** Topics no service may read (one-time codes: the notifier's own user only). */
  static final Set<String> NO_SERVICE_READS = Set.of("auth.otp-deliveries.v1");

  /** Services that may open HTTPS connections outside the cluster, and to what. */
  static final Map<String, String> EXTERNAL_HTTPS =
      Map.of(
          "payment-service", "Stripe's API",
          "auth-service", "partners' identity providers' JWKS URLs");

  /** Environment variables of the local run that a cluster leaves at their defaults. */
  static final Pattern LOCAL_ONLY_VAR = Pattern.compile("PG_HOST|PG_PORT|[A-Z]+_HTTP_PORT");

  static final String GATEWAY_POD_LABEL = "gateway.networking.k8s.io/gateway-name";

  /** The nginx gateway for clusters without Gateway API (a kustomize Component). */
  static final String NGINX_COMPONENT = "deploy/components/nginx-gateway";

  static final String NGINX_CONF = NGINX_COMPONENT + "/nginx.conf";

  static final String NGINX_DEPLOYMENT = "rewards-gateway-nginx";

  static Map<String, Repo.Service> services;
  static Map<Path, List<Object>> yamlFiles;
  static List<Manifest> base;
  static List<Manifest> components;

  record Manifest(Path file, Map<String, Object> doc) {
    String kind() {
      return str(doc, "kind");
    }

    String apiVersion() {
      return str(doc, "apiVersion");
    }

    String name() {
      return str(doc, "metadata", "name");
    }

    String where() {
      return rel(file) + " " + kind() + "/" + name();
    }
  }

  @BeforeAll
  static void load() {
    services = Repo.services();
    yamlFiles = new TreeMap<>();
    for (Path f : Repo.walk(Repo.path("deploy"), ".yaml", ".yml")) {
      try {
        yamlFiles.put(f, Repo.loadAll(f));
      } catch (RuntimeException e) {
        yamlFiles.put(f, null); // reported by everyYamlFileParses
      }
    }
    base = manifestsUnder(Repo.path("deploy/base"));
    components = manifestsUnder(Repo.path("deploy/components"));
  }

  static List<Manifest> manifestsUnder(Path dir) {
    List<Manifest> out = new ArrayList<>();
    yamlFiles.forEach(
        (file, docs) -> {
          if (docs != null && file.startsWith(dir) && !isKustomization(file)) {
            for (Object d : docs) {
              // Patches that delete ($patch: delete) are not objects.
              if (d instanceof Map<?, ?>
                  && map(d).containsKey("kind")
                  && !map(d).containsKey("$patch")) {
                out.add(new Manifest(file, map(d)));
              }
            }
          }
        });
    return out;
  }

  static boolean isKustomization(Path f) {
    return f.getFileName().toString().equals("kustomization.yaml");
  }

  static List<Manifest> kind(List<Manifest> all, String kind) {
    return all.stream().filter(m -> kind.equals(m.kind())).toList();
  }

  static Manifest one(List<Manifest> all, String kind, String name, List<String> problems) {
    List<Manifest> found =
        all.stream().filter(m -> kind.equals(m.kind()) && name.equals(m.name())).toList();
    if (found.size() != 1) {
      problems.add("expected one " + kind + "/" + name + " in deploy/base, found " + found.size());
      return null;
    }
    return found.get(0);
  }

  static void assertNone(List<String> problems) {
    if (!problems.isEmpty()) {
      fail(problems.size() + " problem(s):\n  " + String.join("\n  ", problems));
    }
  }

  // ------------------------------------------------------------------ files

  @Test
  void everyYamlFileParses() {
    List<String> problems = new ArrayList<>();
    assertFalse(yamlFiles.isEmpty(), "no YAML under deploy/");
    for (Path f : yamlFiles.keySet()) {
      try {
        List<Object> docs = Repo.loadAll(f);
        if (docs.isEmpty()) {
          problems.add(rel(f) + ": no document");
        }
        for (Object d : docs) {
          if (isKustomization(f) || d instanceof List<?>) {
            continue; // kustomizations and JSON 6902 patches
          }
          Map<String, Object> m = map(d);
          for (String key : List.of("apiVersion", "kind")) {
            if (!(m.get(key) instanceof String)) {
              problems.add(rel(f) + ": a document without " + key);
            }
          }
          if (str(m, "metadata", "name") == null) {
            problems.add(rel(f) + ": " + m.get("kind") + " without metadata.name");
          }
        }
      } catch (RuntimeException e) {
        problems.add(rel(f) + ": " + e.getMessage().lines().findFirst().orElse(""));
      }
    }
    assertNone(problems);
  }

  @Test
  void kustomizationsListExactlyTheFilesThatExist() throws IOException {
    List<String> problems = new ArrayList<>();
    Set<Path> referenced = new HashSet<>();
    Path deploy = Repo.path("deploy");
    for (Path k : yamlFiles.keySet()) {
      if (!isKustomization(k)) {
        continue;
      }
      Map<String, Object> kust = map(Repo.loadAll(k).get(0));
      Path dir = k.getParent();
      for (String key : List.of("resources", "components", "bases")) {
        for (Object entry : list(kust.get(key))) {
          Path p = dir.resolve(String.valueOf(entry)).normalize();
          if (Files.isDirectory(p)) {
            if (!Files.isRegularFile(p.resolve("kustomization.yaml"))) {
              problems.add(rel(k) + ": " + entry + " is a directory without kustomization.yaml");
            }
          } else if (!Files.isRegularFile(p)) {
            problems.add(rel(k) + ": " + key + " entry " + entry + " does not exist");
          } else {
            referenced.add(p);
          }
        }
      }
      List<Object> patchFiles = new ArrayList<>(list(kust.get("patchesStrategicMerge")));
      for (String key : List.of("patches", "patchesJson6902")) {
        for (Object patch : list(kust.get(key))) {
          if (str(patch, "path") != null) {
            patchFiles.add(str(patch, "path"));
          }
        }
      }
      for (Object entry : patchFiles) {
        Path p = dir.resolve(String.valueOf(entry)).normalize();
        if (!Files.isRegularFile(p)) {
          problems.add(rel(k) + ": patch " + entry + " does not exist");
        }
        referenced.add(p);
      }
      if (kust.containsKey("secretGenerator")) {
        problems.add(rel(k) + ": secretGenerator (no secret value is committed)");
      }
      // ConfigMaps generated from whole files only (nginx.conf, the Grafana dashboard), which
      // other checks read; literals and env files would be values nothing here checks.
      for (Object gen : list(kust.get("configMapGenerator"))) {
        if (map(gen).containsKey("literals") || map(gen).containsKey("envs")) {
          problems.add(rel(k) + ": configMapGenerator " + str(gen, "name") + " uses literals/envs");
        }
        for (Object file : list(map(gen).get("files"))) {
          String f = String.valueOf(file);
          Path p = dir.resolve(f.substring(f.indexOf('=') + 1)).normalize();
          if (!Files.isRegularFile(p) || !p.startsWith(dir)) {
            problems.add(rel(k) + ": configMapGenerator file " + f + " is not in its folder");
          }
        }
      }
    }
    for (Path f : yamlFiles.keySet()) {
      if (!isKustomization(f) && !referenced.contains(f)) {
        problems.add(rel(f) + " is listed by no kustomization.yaml");
      }
    }
    // Every kustomization under base is reached from base/kustomization.yaml.
    Set<Path> reached = new HashSet<>();
    collectKustomizations(deploy.resolve("base"), reached, problems);
    for (Path k : yamlFiles.keySet()) {
      if (isKustomization(k) && k.startsWith(deploy.resolve("base"))) {
        if (!reached.contains(k.getParent())) {
          problems.add(rel(k) + " is not reached from deploy/base/kustomization.yaml");
        }
      }
    }
    // Each overlay builds on the base, and its patches hit objects that exist there.
    List<Path> overlays = overlays();
    Set<String> names =
        overlays.stream().map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    if (!names.containsAll(Set.of("dev", "prod"))) {
      problems.add("deploy/overlays needs dev and prod, has " + names);
    }
    for (Path overlay : overlays) {
      Map<String, Object> kust = map(Repo.loadAll(overlay.resolve("kustomization.yaml")).get(0));
      // An overlay builds on base, or on another overlay (dev-nginx is dev + a component).
      boolean onBase =
          list(kust.get("resources")).stream()
              .map(String::valueOf)
              .anyMatch(
                  r ->
                      r.equals("../../base")
                          || (r.matches("\\.\\./[a-z-]+")
                              && names.contains(r.substring(3))
                              && !r.substring(3).equals(overlay.getFileName().toString())));
      if (!onBase) {
        problems.add(rel(overlay) + ": resources must include ../../base or another overlay");
      }
      for (Object c : list(kust.get("components"))) {
        if (!Files.isRegularFile(
            overlay.resolve(String.valueOf(c)).resolve("kustomization.yaml"))) {
          problems.add(rel(overlay) + ": component " + c + " has no kustomization.yaml");
        }
      }
      if (str(kust, "namespace") == null) {
        problems.add(rel(overlay) + ": no namespace");
      }
      for (Object patch : list(kust.get("patches"))) {
        Map<String, Object> target = map(at(patch, "target"));
        long hits =
            base.stream()
                .filter(m -> target.get("kind") == null || target.get("kind").equals(m.kind()))
                .filter(m -> target.get("name") == null || target.get("name").equals(m.name()))
                .filter(
                    m ->
                        target.get("group") == null
                            || m.apiVersion().startsWith(target.get("group") + "/"))
                .count();
        if (hits == 0) {
          problems.add(rel(overlay) + ": patch " + str(patch, "path") + " targets nothing");
        }
      }
      for (Object image : list(kust.get("images"))) {
        String name = str(image, "name");
        if (base.stream()
            .flatMap(m -> containers(m).stream())
            .noneMatch(c -> String.valueOf(map(c).get("image")).startsWith(name + ":"))) {
          problems.add(rel(overlay) + ": image " + name + " is used by no container");
        }
      }
    }
    assertNone(problems);
  }

  @Test
  void componentPatchesTargetObjectsOfBase() {
    List<String> problems = new ArrayList<>();
    for (Path k : yamlFiles.keySet()) {
      if (!isKustomization(k) || !k.startsWith(Repo.path("deploy/components"))) {
        continue;
      }
      Map<String, Object> kust = map(Repo.loadAll(k).get(0));
      if (!"Component".equals(kust.get("kind"))) {
        problems.add(rel(k) + ": kind is not Component");
      }
      for (Object patch : list(kust.get("patches"))) {
        Map<String, Object> target = map(at(patch, "target"));
        boolean hits =
            base.stream()
                .filter(m -> target.get("kind") == null || target.get("kind").equals(m.kind()))
                .filter(m -> target.get("name") == null || target.get("name").equals(m.name()))
                .anyMatch(
                    m ->
                        target.get("group") == null
                            || m.apiVersion().startsWith(target.get("group") + "/"));
        if (!hits) {
          problems.add(rel(k) + ": patch " + str(patch, "path") + " targets nothing in base");
        }
      }
    }
    assertNone(problems);
  }

  static void collectKustomizations(Path dir, Set<Path> reached, List<String> problems) {
    if (!reached.add(dir)) {
      return;
    }
    Path k = dir.resolve("kustomization.yaml");
    if (!Files.isRegularFile(k)) {
      return;
    }
    for (Object entry : list(map(Repo.loadAll(k).get(0)).get("resources"))) {
      Path p = dir.resolve(String.valueOf(entry)).normalize();
      if (Files.isDirectory(p)) {
        collectKustomizations(p, reached, problems);
      }
    }
  }

  static List<Path> overlays() {
    Path dir = Repo.path("deploy/overlays");
    try (var s = Files.list(dir)) {
      return s.filter(p -> Files.isRegularFile(p.resolve("kustomization.yaml"))).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  @Test
  void noSecretValueIsCommitted() {
    List<String> problems = new ArrayList<>();
    yamlFiles.forEach(
        (file, docs) -> {
          for (Object d : docs == null ? List.of() : docs) {
            if ("Secret".equals(str(d, "kind"))) {
              problems.add(rel(file) + ": a Secret manifest (" + str(d, "metadata", "name") + ")");
            }
            // A patch could smuggle one in too.
            for (Object op : list(d)) {
              if ("Secret".equals(str(op, "value", "kind"))
                  || at(op, "value", "stringData") != null) {
                problems.add(rel(file) + ": a patch writes secret-like data");
              }
            }
          }
        });
    // Every Secret a manifest references is either created by an operator (Strimzi) or listed, with
    // its keys, in deploy/README.md.
    String readme = Repo.read(Repo.path("deploy/README.md"));
    Set<String> operatorMade = new HashSet<>();
    for (Manifest u : kind(base, "KafkaUser")) {
      operatorMade.add(u.name());
    }
    for (Manifest k : kind(base, "Kafka")) {
      operatorMade.add(k.name() + "-cluster-ca-cert");
    }
    for (String[] ref : secretRefs()) {
      if (operatorMade.contains(ref[0])) {
        continue;
      }
      boolean documented =
          readme
              .lines()
              .anyMatch(
                  l ->
                      l.contains("`" + ref[0] + "`")
                          && (ref[1] == null || l.contains("`" + ref[1] + "`")));
      if (!documented) {
        problems.add(
            "Secret "
                + ref[0]
                + (ref[1] == null ? "" : " key " + ref[1])
                + " ("
                + ref[2]
                + ") has no line in deploy/README.md naming it");
      }
    }
    assertNone(problems);
  }

  /** {secret, key or null, where} of every Secret reference in base and the overlays' patches. */
  static List<String[]> secretRefs() {
    List<String[]> refs = new ArrayList<>();
    List<Manifest> all = new ArrayList<>(base);
    for (Manifest m : all) {
      for (Object c : containers(m)) {
        for (Object e : list(map(c).get("env"))) {
          if (at(e, "valueFrom", "secretKeyRef") != null) {
            refs.add(
                new String[] {
                  str(e, "valueFrom", "secretKeyRef", "name"),
                  str(e, "valueFrom", "secretKeyRef", "key"),
                  m.where()
                });
          }
        }
        for (Object e : list(map(c).get("envFrom"))) {
          if (at(e, "secretRef") != null) {
            refs.add(new String[] {str(e, "secretRef", "name"), null, m.where()});
          }
        }
      }
      for (Object v : list(at(m.doc(), "spec", "template", "spec", "volumes"))) {
        if (at(v, "secret") != null) {
          refs.add(new String[] {str(v, "secret", "secretName"), null, m.where()});
        }
      }
      if ("Cluster".equals(m.kind()) && at(m.doc(), "spec", "bootstrap", "initdb") != null) {
        String s = str(m.doc(), "spec", "bootstrap", "initdb", "secret", "name");
        refs.add(new String[] {s, "username", m.where()});
        refs.add(new String[] {s, "password", m.where()});
      }
    }
    // certificateRefs patched in by overlays (the Gateway's TLS certificate).
    for (Path overlay : overlays()) {
      for (Path f : Repo.walk(overlay, ".yaml")) {
        Matcher m =
            Pattern.compile("certificateRefs:\\s*\\n\\s*-\\s*kind: Secret\\s*\\n\\s*name: (\\S+)")
                .matcher(Repo.read(f));
        while (m.find()) {
          refs.add(new String[] {m.group(1), null, rel(f)});
        }
      }
    }
    return refs;
  }

  // ------------------------------------------------------------------ workloads

  static List<Object> containers(Manifest m) {
    return list(at(m.doc(), "spec", "template", "spec", "containers"));
  }

  @Test
  void everyDeploymentIsProbedBoundedAndLockedDown() {
    List<String> problems = new ArrayList<>();
    List<Manifest> deployments = new ArrayList<>(kind(base, "Deployment"));
    assertFalse(deployments.isEmpty(), "no Deployment in deploy/base");
    deployments.addAll(kind(components, "Deployment"));
    for (Manifest d : deployments) {
      String w = d.where();
      // The services are Quarkus (health paths, QUARKUS_SHUTDOWN_TIMEOUT, our images); the nginx
      // gateway has its own /healthz and stops gracefully on the image's SIGQUIT.
      boolean quarkus = services.containsKey(d.name());
      Map<String, Object> pod = map(at(d.doc(), "spec", "template", "spec"));
      if (!Boolean.TRUE.equals(at(pod, "securityContext", "runAsNonRoot"))) {
        problems.add(w + ": pod securityContext.runAsNonRoot is not true");
      }
      Object uid = at(pod, "securityContext", "runAsUser");
      if (uid != null && ((Number) uid).intValue() == 0) {
        problems.add(w + ": runAsUser 0");
      }
      if (!"RuntimeDefault".equals(str(pod, "securityContext", "seccompProfile", "type"))) {
        problems.add(w + ": seccompProfile is not RuntimeDefault");
      }
      if (Boolean.TRUE.equals(pod.get("hostNetwork")) || Boolean.TRUE.equals(pod.get("hostPID"))) {
        problems.add(w + ": host namespaces");
      }
      Set<String> emptyDirs = new HashSet<>();
      for (Object v : list(pod.get("volumes"))) {
        if (map(v).containsKey("emptyDir")) {
          emptyDirs.add(str(v, "name"));
        }
      }
      Object grace = pod.get("terminationGracePeriodSeconds");
      List<Object> containers = list(pod.get("containers"));
      if (containers.isEmpty()) {
        problems.add(w + ": no containers");
      }
      for (Object c : containers) {
        String cw = w + " container " + str(c, "name");
        Map<String, Object> ports = new HashMap<>();
        for (Object p : list(map(c).get("ports"))) {
          ports.put(str(p, "name"), at(p, "containerPort"));
        }
        Set<String> health = Set.of("/healthz");
        checkProbe(
            cw, c, "livenessProbe", quarkus ? Set.of("/q/health/live") : health, ports, problems);
        checkProbe(
            cw, c, "readinessProbe", quarkus ? Set.of("/q/health/ready") : health, ports, problems);
        checkProbe(
            cw,
            c,
            "startupProbe",
            quarkus ? Set.of("/q/health/started", "/q/health/live") : health,
            ports,
            problems);
        for (String bound : List.of("requests", "limits")) {
          for (String res : List.of("cpu", "memory")) {
            if (at(c, "resources", bound, res) == null) {
              problems.add(cw + ": no resources." + bound + "." + res);
            }
          }
        }
        Map<String, Object> sc = map(at(c, "securityContext"));
        if (!Boolean.TRUE.equals(sc.get("readOnlyRootFilesystem"))) {
          problems.add(cw + ": readOnlyRootFilesystem is not true");
        }
        if (!Boolean.FALSE.equals(sc.get("allowPrivilegeEscalation"))) {
          problems.add(cw + ": allowPrivilegeEscalation is not false");
        }
        if (Boolean.TRUE.equals(sc.get("privileged"))) {
          problems.add(cw + ": privileged");
        }
        if (Boolean.FALSE.equals(sc.get("runAsNonRoot"))) {
          problems.add(cw + ": runAsNonRoot false on the container");
        }
        if (!list(at(sc, "capabilities", "drop")).contains("ALL")
            || !list(at(sc, "capabilities", "add")).isEmpty()) {
          problems.add(cw + ": capabilities must drop ALL and add none");
        }
        boolean tmp =
            list(map(c).get("volumeMounts")).stream()
                .anyMatch(
                    vm ->
                        "/tmp".equals(str(vm, "mountPath")) && emptyDirs.contains(str(vm, "name")));
        if (!tmp) {
          problems.add(cw + ": /tmp is not an emptyDir (read-only root filesystem)");
        }
        // Graceful shutdown: the grace period covers the preStop sleep plus Quarkus' own timeout.
        List<Object> preStop = list(at(c, "lifecycle", "preStop", "exec", "command"));
        Object sleepAction = at(c, "lifecycle", "preStop", "sleep", "seconds");
        int sleep = -1;
        if (preStop.size() == 2 && "sleep".equals(preStop.get(0))) {
          sleep = Integer.parseInt(String.valueOf(preStop.get(1)));
        } else if (sleepAction != null) {
          sleep = ((Number) sleepAction).intValue();
        }
        if (sleep <= 0) {
          problems.add(cw + ": no preStop sleep (the gateway needs time to stop sending)");
        }
        int shutdown = quarkus ? shutdownTimeoutSeconds(d, c) : 0;
        if (quarkus && shutdown <= 0) {
          problems.add(cw + ": no QUARKUS_SHUTDOWN_TIMEOUT");
        }
        if (!(grace instanceof Number g) || g.intValue() <= Math.max(sleep, 0) + shutdown) {
          problems.add(
              cw
                  + ": terminationGracePeriodSeconds "
                  + grace
                  + " must exceed preStop sleep "
                  + sleep
                  + " + shutdown timeout "
                  + shutdown);
        }
        String image = str(c, "image");
        if (quarkus && (image == null || !image.matches("rewards/[a-z-]+:[A-Za-z0-9._-]+"))) {
          problems.add(cw + ": image " + image + " is not rewards/<service>:<tag>");
        }
        if (!quarkus
            && (image == null
                || !image.matches("[a-z0-9./-]+:[A-Za-z0-9._-]+")
                || image.endsWith(":latest"))) {
          problems.add(cw + ": image " + image + " has no pinned tag");
        }
      }
    }
    assertNone(problems);
  }

  static void checkProbe(
      String where,
      Object container,
      String probe,
      Set<String> paths,
      Map<String, Object> ports,
      List<String> problems) {
    Object get = at(container, probe, "httpGet");
    if (get == null) {
      problems.add(where + ": no " + probe + " (httpGet)");
      return;
    }
    if (!paths.contains(str(get, "path"))) {
      problems.add(where + ": " + probe + " path " + str(get, "path") + " is not one of " + paths);
    }
    Object port = map(get).get("port");
    if (!(ports.containsKey(String.valueOf(port)) || ports.containsValue(port))) {
      problems.add(where + ": " + probe + " port " + port + " is not a container port");
    }
  }

  static int shutdownTimeoutSeconds(Manifest d, Object container) {
    String value = env(container).get("QUARKUS_SHUTDOWN_TIMEOUT");
    if (value == null) {
      return -1;
    }
    Matcher m = Pattern.compile("(?i)(?:PT)?(\\d+)S").matcher(value.trim());
    return m.matches() ? Integer.parseInt(m.group(1)) : -1;
  }

  /**
   * The environment of a container as base sets it: ConfigMap values by key, Secret references as
   * "secret:NAME/KEY", Downward API and others as "ref".
   */
  static Map<String, String> env(Object container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Object from : list(map(container).get("envFrom"))) {
      String cm = str(from, "configMapRef", "name");
      if (cm != null) {
        for (Manifest m : kind(base, "ConfigMap")) {
          if (cm.equals(m.name())) {
            map(m.doc().get("data")).forEach((k, v) -> env.put(k, String.valueOf(v)));
          }
        }
      }
      String secret = str(from, "secretRef", "name");
      if (secret != null) {
        env.put("*", "secret:" + secret);
      }
    }
    for (Object e : list(map(container).get("env"))) {
      String name = str(e, "name");
      if (map(e).containsKey("value")) {
        env.put(name, str(e, "value"));
      } else if (at(e, "valueFrom", "secretKeyRef") != null) {
        env.put(
            name,
            "secret:"
                + str(e, "valueFrom", "secretKeyRef", "name")
                + "/"
                + str(e, "valueFrom", "secretKeyRef", "key"));
      } else if (at(e, "valueFrom", "configMapKeyRef") != null) {
        String cm = str(e, "valueFrom", "configMapKeyRef", "name");
        String key = str(e, "valueFrom", "configMapKeyRef", "key");
        for (Manifest m : kind(base, "ConfigMap")) {
          if (cm.equals(m.name()) && map(m.doc().get("data")).containsKey(key)) {
            env.put(name, str(m.doc(), "data", key));
          }
        }
      } else {
        env.put(name, "ref");
      }
    }
    return env;
  }

  static Object serviceContainer(Manifest deployment) {
    for (Object c : containers(deployment)) {
      if (deployment.name().equals(str(c, "name"))) {
        return c;
      }
    }
    return containers(deployment).isEmpty() ? null : containers(deployment).get(0);
  }

  static Map<String, String> podLabels(Manifest deployment) {
    Map<String, String> out = new TreeMap<>();
    map(at(deployment.doc(), "spec", "template", "metadata", "labels"))
        .forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }

  static boolean selects(Object labelSelector, Map<String, String> labels) {
    Map<String, Object> sel = map(labelSelector);
    if (sel.isEmpty() && labelSelector == null) {
      return false;
    }
    for (Map.Entry<String, Object> e : map(sel.get("matchLabels")).entrySet()) {
      if (!String.valueOf(e.getValue()).equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    for (Object expr : list(sel.get("matchExpressions"))) {
      String key = str(expr, "key");
      List<Object> values = list(map(expr).get("values"));
      boolean in = labels.containsKey(key) && values.contains(labels.get(key));
      switch (String.valueOf(str(expr, "operator"))) {
        case "In" -> {
          if (!in) {
            return false;
          }
        }
        case "NotIn" -> {
          if (in) {
            return false;
          }
        }
        case "Exists" -> {
          if (!labels.containsKey(key)) {
            return false;
          }
        }
        case "DoesNotExist" -> {
          if (labels.containsKey(key)) {
            return false;
          }
        }
        default -> {
          return false;
        }
      }
    }
    return true;
  }

  @Test
  void everyServiceHasDeploymentServiceAutoscalerBudgetAndPolicy() {
    List<String> problems = new ArrayList<>();
    assertEquals(
        PRODUCED_TOPICS.keySet(),
        services.keySet(),
        "the service modules and this test's PRODUCED_TOPICS table disagree");
    for (Repo.Service svc : services.values()) {
      String name = svc.name();
      Manifest d = one(base, "Deployment", name, problems);
      if (d == null) {
        continue;
      }
      Map<String, String> labels = podLabels(d);
      if (!selects(at(d.doc(), "spec", "selector"), labels)) {
        problems.add(d.where() + ": spec.selector does not select its own pods");
      }
      Object c = serviceContainer(d);
      boolean portOk =
          list(map(c).get("ports")).stream()
              .anyMatch(
                  p ->
                      "http".equals(str(p, "name"))
                          && Objects.equals(at(p, "containerPort"), svc.httpPort()));
      if (!portOk) {
        problems.add(d.where() + ": no container port http = " + svc.httpPort());
      }
      Manifest s = one(base, "Service", name, problems);
      if (s != null) {
        if (!selects(Map.of("matchLabels", map(at(s.doc(), "spec", "selector"))), labels)
            || map(at(s.doc(), "spec", "selector")).isEmpty()) {
          problems.add(s.where() + ": selector does not match the Deployment's pods");
        }
        boolean exposes =
            list(at(s.doc(), "spec", "ports")).stream()
                .anyMatch(
                    p ->
                        Objects.equals(at(p, "port"), svc.httpPort())
                            && ("http".equals(str(p, "targetPort"))
                                || Objects.equals(at(p, "targetPort"), svc.httpPort())));
        if (!exposes) {
          problems.add(s.where() + ": does not expose port " + svc.httpPort() + " -> http");
        }
      }
      Manifest hpa = one(base, "HorizontalPodAutoscaler", name, problems);
      if (hpa != null) {
        if (!"autoscaling/v2".equals(hpa.apiVersion())) {
          problems.add(hpa.where() + ": not autoscaling/v2");
        }
        if (!"Deployment".equals(str(hpa.doc(), "spec", "scaleTargetRef", "kind"))
            || !name.equals(str(hpa.doc(), "spec", "scaleTargetRef", "name"))) {
          problems.add(hpa.where() + ": does not scale Deployment/" + name);
        }
        boolean cpu =
            list(at(hpa.doc(), "spec", "metrics")).stream()
                .anyMatch(
                    mt ->
                        "Resource".equals(str(mt, "type"))
                            && "cpu".equals(str(mt, "resource", "name")));
        if (!cpu) {
          problems.add(hpa.where() + ": no CPU metric");
        }
        Object min = at(hpa.doc(), "spec", "minReplicas");
        Object max = at(hpa.doc(), "spec", "maxReplicas");
        if (!(min instanceof Number mn) || !(max instanceof Number mx) || mn.intValue() < 1) {
          problems.add(hpa.where() + ": needs minReplicas and maxReplicas");
        } else if (mn.intValue() > mx.intValue()) {
          problems.add(hpa.where() + ": minReplicas > maxReplicas");
        }
        if (at(d.doc(), "spec", "replicas") != null) {
          problems.add(d.where() + ": sets replicas, which the HorizontalPodAutoscaler owns");
        }
      }
      Manifest pdb = one(base, "PodDisruptionBudget", name, problems);
      if (pdb != null && !selects(at(pdb.doc(), "spec", "selector"), labels)) {
        problems.add(pdb.where() + ": selector does not match the Deployment's pods");
      }
      List<Manifest> policies =
          kind(base, "NetworkPolicy").stream()
              .filter(p -> selects(at(p.doc(), "spec", "podSelector"), labels))
              .toList();
      boolean defaultDeny =
          policies.stream()
              .anyMatch(
                  p ->
                      list(at(p.doc(), "spec", "policyTypes"))
                              .containsAll(List.of("Ingress", "Egress"))
                          && list(at(p.doc(), "spec", "ingress")).isEmpty()
                          && list(at(p.doc(), "spec", "egress")).isEmpty());
      if (!defaultDeny) {
        problems.add(
            name + ": no default-deny NetworkPolicy (Ingress and Egress) selects its pods");
      }
      if (policies.stream().noneMatch(p -> name.equals(p.name()))) {
        problems.add(name + ": no NetworkPolicy named " + name + " selects its pods");
      }
    }
    assertNone(problems);
  }

  @Test
  void everyVariableTheServicesReadIsSet() {
    List<String> problems = new ArrayList<>();
    for (Repo.Service svc : services.values()) {
      List<Manifest> ds =
          kind(base, "Deployment").stream().filter(d -> svc.name().equals(d.name())).toList();
      if (ds.isEmpty()) {
        problems.add(svc.name() + ": no Deployment");
        continue;
      }
      Map<String, String> env = env(serviceContainer(ds.get(0)));
      for (String var : svc.envVars()) {
        if (!LOCAL_ONLY_VAR.matcher(var).matches() && !env.containsKey(var)) {
          problems.add(
              svc.name()
                  + ": application.properties reads ${"
                  + var
                  + "}, the Deployment sets no "
                  + var);
        }
      }
      for (String var : List.of(svc.dbUserVar(), svc.dbPasswordVar())) {
        if (!String.valueOf(env.get(var)).startsWith("secret:")) {
          problems.add(svc.name() + ": " + var + " must come from a Secret");
        }
      }
      for (Map.Entry<String, String> e : env.entrySet()) {
        if (e.getKey().matches(".*(PASSWORD|SECRET|_KEY|JAAS).*")
            && !e.getValue().startsWith("secret:")) {
          problems.add(
              svc.name() + ": " + e.getKey() + " is a plain value, not a Secret reference");
        }
      }
    }
    assertNone(problems);
  }

  // ------------------------------------------------------------------ network policies

  static String selector(Object sel) {
    List<String> parts = new ArrayList<>();
    new TreeMap<>(map(at(sel, "matchLabels"))).forEach((k, v) -> parts.add(k + "=" + v));
    for (Object e : list(at(sel, "matchExpressions"))) {
      List<String> values =
          list(map(e).get("values")).stream().map(String::valueOf).sorted().toList();
      parts.add(str(e, "key") + " " + str(e, "operator") + " " + values);
    }
    parts.sort(null);
    return "{" + String.join(",", parts) + "}";
  }

  static String peer(Object p) {
    List<String> parts = new ArrayList<>();
    if (at(p, "ipBlock") != null) {
      List<String> except =
          list(at(p, "ipBlock", "except")).stream().map(String::valueOf).sorted().toList();
      parts.add("ip " + str(p, "ipBlock", "cidr") + (except.isEmpty() ? "" : " except " + except));
    }
    if (map(p).containsKey("namespaceSelector")) {
      parts.add("ns" + selector(at(p, "namespaceSelector")));
    }
    if (map(p).containsKey("podSelector")) {
      parts.add("pods" + selector(at(p, "podSelector")));
    }
    return String.join(" ", parts);
  }

  /** Each (peer, port) a list of ingress or egress rules admits, as comparable strings. */
  static Set<String> admitted(Object rules, String peerKey) {
    Set<String> out = new TreeSet<>();
    for (Object rule : list(rules)) {
      List<String> peers =
          map(rule).containsKey(peerKey)
              ? list(map(rule).get(peerKey)).stream().map(DeployManifestsTest::peer).toList()
              : List.of("ANY PEER");
      List<String> ports =
          map(rule).containsKey("ports")
              ? list(map(rule).get("ports")).stream()
                  .map(
                      pt ->
                          (str(pt, "protocol") == null ? "TCP" : str(pt, "protocol"))
                              + "/"
                              + str(pt, "port"))
                  .toList()
              : List.of("ANY PORT");
      for (String pr : peers) {
        for (String pt : ports) {
          out.add(pr + " " + pt);
        }
      }
    }
    return out;
  }

  @Test
  void networkPoliciesAdmitExactlyTheGatewayAndReachExactlyTheDependencies() {
    List<String> problems = new ArrayList<>();
    Manifest kafka = kind(base, "Kafka").isEmpty() ? null : kind(base, "Kafka").get(0);
    assertTrue(kafka != null, "no Kafka in deploy/base");
    int kafkaPort = kafkaListenerPort(kafka);
    Repo.Service auth = services.get("auth-service");
    Set<String> jwksClients = new TreeSet<>();
    for (Repo.Service svc : services.values()) {
      if (svc.envVars().contains("AUTH_JWKS_URL")) {
        jwksClients.add(svc.name());
      }
    }
    for (Repo.Service svc : services.values()) {
      Manifest np = one(base, "NetworkPolicy", svc.name(), problems);
      Manifest db = clusterFor(svc);
      if (np == null || db == null) {
        problems.add(svc.name() + ": needs its NetworkPolicy and its CloudNativePG Cluster");
        continue;
      }
      Set<String> ingress = new TreeSet<>();
      ingress.add("pods{" + GATEWAY_POD_LABEL + "=" + gatewayName() + "} TCP/" + svc.httpPort());
      if (svc == auth && !jwksClients.isEmpty()) {
        ingress.add(
            "pods{app.kubernetes.io/name In "
                + new ArrayList<>(jwksClients)
                + "} TCP/"
                + svc.httpPort());
      }
      Set<String> egress = new TreeSet<>();
      egress.add("pods{cnpg.io/cluster=" + db.name() + "} TCP/5432");
      egress.add(
          "pods{strimzi.io/cluster=" + kafka.name() + ",strimzi.io/kind=Kafka} TCP/" + kafkaPort);
      for (String proto : List.of("UDP", "TCP")) {
        egress.add(
            "ns{kubernetes.io/metadata.name=kube-system} pods{k8s-app=kube-dns} " + proto + "/53");
      }
      if (jwksClients.contains(svc.name())) {
        egress.add("pods{app.kubernetes.io/name=auth-service} TCP/" + auth.httpPort());
      }
      if (EXTERNAL_HTTPS.containsKey(svc.name())) {
        egress.add(
            "ip 0.0.0.0/0 except [10.0.0.0/8, 169.254.0.0/16, 172.16.0.0/12, 192.168.0.0/16]"
                + " TCP/443");
        egress.add("ip ::/0 except [fc00::/7, fe80::/10] TCP/443");
      }
      List<Object> types = list(at(np.doc(), "spec", "policyTypes"));
      if (!types.containsAll(List.of("Ingress", "Egress"))) {
        problems.add(np.where() + ": policyTypes must be Ingress and Egress");
      }
      Set<String> actualIn = admitted(at(np.doc(), "spec", "ingress"), "from");
      Set<String> actualOut = admitted(at(np.doc(), "spec", "egress"), "to");
      if (!actualIn.equals(ingress)) {
        problems.add(np.where() + ": ingress " + diff(actualIn, ingress));
      }
      if (!actualOut.equals(egress)) {
        problems.add(np.where() + ": egress " + diff(actualOut, egress));
      }
      // The database admits only its service (plus its own instances and the operator).
      List<Manifest> dbPolicies =
          kind(base, "NetworkPolicy").stream()
              .filter(
                  p ->
                      selects(
                          at(p.doc(), "spec", "podSelector"), Map.of("cnpg.io/cluster", db.name())))
              .toList();
      if (dbPolicies.isEmpty()) {
        problems.add(db.where() + ": no NetworkPolicy guards the database's pods");
      }
      for (Manifest p : dbPolicies) {
        for (String admitted : admitted(at(p.doc(), "spec", "ingress"), "from")) {
          boolean ok =
              admitted.equals("pods{app.kubernetes.io/name=" + svc.name() + "} TCP/5432")
                  || admitted.startsWith("pods{cnpg.io/cluster=" + db.name() + "} ")
                  || admitted.startsWith("ns{kubernetes.io/metadata.name=cnpg-system} ");
          if (!ok) {
            problems.add(p.where() + ": admits " + admitted);
          }
        }
      }
    }
    // The default deny selects every service's pods and opens nothing.
    assertNone(problems);
  }

  /** What a set lacks and what it has too much, for a readable failure. */
  static String diff(Set<String> actual, Set<String> expected) {
    Set<String> missing = new TreeSet<>(expected);
    missing.removeAll(actual);
    Set<String> unexpected = new TreeSet<>(actual);
    unexpected.removeAll(expected);
    return "missing " + missing + ", unexpected " + unexpected;
  }

  static Set<String> flatten(Map<String, Set<String>> acls) {
    Set<String> out = new TreeSet<>();
    acls.forEach((resource, ops) -> ops.forEach(op -> out.add(resource + ": " + op)));
    return out;
  }

  static String gatewayName() {
    List<Manifest> gws = kind(base, "Gateway");
    return gws.size() == 1 ? gws.get(0).name() : "(expected exactly one Gateway)";
  }

  static int kafkaListenerPort(Manifest kafka) {
    List<Object> listeners = list(at(kafka.doc(), "spec", "kafka", "listeners"));
    return listeners.isEmpty() ? -1 : ((Number) at(listeners.get(0), "port")).intValue();
  }

  static Manifest clusterFor(Repo.Service svc) {
    List<Manifest> found =
        kind(base, "Cluster").stream()
            .filter(
                c -> svc.database().equals(str(c.doc(), "spec", "bootstrap", "initdb", "database")))
            .toList();
    return found.size() == 1 ? found.get(0) : null;
  }

  // ------------------------------------------------------------------ gateway

  record Row(String type, String path, String owner, String document) {}

  static List<Row> routeRows() {
    List<Row> rows = new ArrayList<>();
    List<String> lines = Repo.read(Repo.path("gateway/routes.tsv")).lines().toList();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] c = line.split("\t");
      rows.add(new Row(c[0], c[1], c[2], c[3]));
    }
    return rows;
  }

  @Test
  void committedGeneratedFilesAreWhatTheGeneratorWrites(@TempDir Path tmp) throws Exception {
    Path routes = tmp.resolve("httproutes.yaml");
    Path nginx = tmp.resolve("nginx.conf");
    Path openapi = tmp.resolve("openapi.json");
    Process p =
        new ProcessBuilder(
                "python3",
                Repo.path("deploy/generate-routes").toString(),
                "--routes",
                Repo.path("gateway/routes.tsv").toString(),
                "--root",
                Repo.ROOT.toString(),
                "--out",
                routes.toString(),
                "--nginx",
                Repo.path("gateway/nginx.conf").toString(),
                "--nginx-out",
                nginx.toString(),
                "--openapi",
                Repo.path("gateway/openapi/openapi.json").toString(),
                "--openapi-out",
                openapi.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "deploy/generate-routes did not finish");
    assertEquals(0, p.exitValue(), "deploy/generate-routes failed:\n" + output);
    List<String> problems = new ArrayList<>();
    compareGenerated("deploy/base/gateway/httproutes.yaml", routes, "gateway/routes.tsv", problems);
    compareGenerated(NGINX_CONF, nginx, "gateway/nginx.conf", problems);
    compareGenerated(
        NGINX_COMPONENT + "/openapi.json", openapi, "gateway/openapi/openapi.json", problems);
    assertNone(problems);
  }

  static void compareGenerated(
      String committedPath, Path generatedFile, String source, List<String> problems)
      throws IOException {
    Path committedFile = Repo.path(committedPath);
    String committed = Files.isRegularFile(committedFile) ? Repo.read(committedFile) : "";
    String generated = Files.readString(generatedFile, StandardCharsets.UTF_8);
    if (!committed.equals(generated)) {
      List<String> a = committed.lines().toList();
      List<String> b = generated.lines().toList();
      int i = 0;
      while (i < Math.min(a.size(), b.size()) && a.get(i).equals(b.get(i))) {
        i++;
      }
      problems.add(
          committedPath
              + " is not what deploy/generate-routes writes from "
              + source
              + " (run deploy/generate-routes). First difference at line "
              + (i + 1)
              + ":\n    committed: "
              + (i < a.size() ? a.get(i) : "<end>")
              + "\n    generated: "
              + (i < b.size() ? b.get(i) : "<end>"));
    }
  }

  @Test
  void everyRoutedPathGoesToItsOwnerServiceAndPort() {
    List<String> problems = new ArrayList<>();
    String gateway = gatewayName();
    if (one(base, "Gateway", gateway, problems) != null
        && !"gateway.networking.k8s.io/v1"
            .equals(one(base, "Gateway", gateway, problems).apiVersion())) {
      problems.add("the Gateway is not gateway.networking.k8s.io/v1");
    }
    // (type, value) -> "Service/name:port" for every match of every committed HTTPRoute.
    Map<String, List<String>> routed = new LinkedHashMap<>();
    for (Manifest r : kind(base, "HTTPRoute")) {
      if (!"gateway.networking.k8s.io/v1".equals(r.apiVersion())) {
        problems.add(r.where() + ": not gateway.networking.k8s.io/v1");
      }
      List<Object> parents = list(at(r.doc(), "spec", "parentRefs"));
      if (parents.size() != 1 || !gateway.equals(str(parents.get(0), "name"))) {
        problems.add(r.where() + ": must attach to the Gateway " + gateway + " only");
      }
      List<Object> rules = list(at(r.doc(), "spec", "rules"));
      if (rules.size() > 16) {
        problems.add(r.where() + ": more than 16 rules (the HTTPRoute CRD's limit)");
      }
      for (Object rule : rules) {
        List<Object> refs = list(map(rule).get("backendRefs"));
        List<Object> matches = list(map(rule).get("matches"));
        if (matches.size() > 64) {
          problems.add(r.where() + ": a rule with more than 64 matches");
        }
        String backend =
            refs.size() != 1
                ? "(" + refs.size() + " backends)"
                : (str(refs.get(0), "kind") == null ? "Service" : str(refs.get(0), "kind"))
                    + "/"
                    + str(refs.get(0), "name")
                    + ":"
                    + str(refs.get(0), "port");
        for (Object m : matches) {
          if (map(m).keySet().stream().anyMatch(k -> !k.equals("path"))) {
            problems.add(r.where() + ": a match on more than the path: " + m);
          }
          String key = str(m, "path", "type") + " " + str(m, "path", "value");
          routed.computeIfAbsent(key, k -> new ArrayList<>()).add(backend);
        }
      }
    }
    Set<String> expectedKeys = new HashSet<>();
    for (Row row : routeRows()) {
      Repo.Service owner = services.get(row.owner());
      if (owner == null) {
        problems.add("routes.tsv: " + row.path() + " is owned by unknown " + row.owner());
        continue;
      }
      String key =
          row.type().equals("exact")
              ? "Exact " + row.path()
              : "PathPrefix " + row.path().replaceAll("/+$", "");
      expectedKeys.add(key);
      String expected = "Service/" + row.owner() + ":" + owner.httpPort();
      List<String> got = routed.getOrDefault(key, List.of());
      if (!got.equals(List.of(expected))) {
        problems.add(
            "routes.tsv "
                + row.type()
                + " "
                + row.path()
                + ": routed to "
                + got
                + ", expected "
                + expected);
      }
      Manifest svc =
          kind(base, "Service").stream()
              .filter(s -> row.owner().equals(s.name()))
              .findFirst()
              .orElse(null);
      if (svc == null
          || list(at(svc.doc(), "spec", "ports")).stream()
              .noneMatch(p -> Objects.equals(at(p, "port"), owner.httpPort()))) {
        problems.add("routes.tsv " + row.path() + ": no Service " + expected + " in deploy/base");
      }
    }
    for (String key : routed.keySet()) {
      if (!expectedKeys.contains(key)) {
        problems.add("HTTPRoute match " + key + " is not a row of gateway/routes.tsv");
      }
    }
    assertNone(problems);
  }

  // ------------------------------------------------------------------ Kafka

  static Set<String> asyncApiTopics() {
    Map<String, Object> doc = map(Repo.loadAll(Repo.path("docs/events/asyncapi.yaml")).get(0));
    Set<String> topics = new TreeSet<>();
    for (Object channel : map(doc.get("channels")).values()) {
      topics.add(str(channel, "address"));
    }
    return topics;
  }

  static String topicName(Manifest t) {
    String n = str(t.doc(), "spec", "topicName");
    return n != null ? n : t.name();
  }

  @Test
  void kafkaIsKraftWithAuthenticatedListenersAndSimpleAuthorization() {
    List<String> problems = new ArrayList<>();
    List<Manifest> clusters = kind(base, "Kafka");
    if (clusters.size() != 1) {
      fail("expected one Kafka in deploy/base, found " + clusters.size());
    }
    Manifest k = clusters.get(0);
    Map<String, Object> ann = map(at(k.doc(), "metadata", "annotations"));
    if (!"enabled".equals(ann.get("strimzi.io/kraft"))
        || !"enabled".equals(ann.get("strimzi.io/node-pools"))) {
      problems.add(k.where() + ": needs strimzi.io/kraft and strimzi.io/node-pools: enabled");
    }
    if (at(k.doc(), "spec", "zookeeper") != null) {
      problems.add(k.where() + ": has a ZooKeeper section (KRaft only)");
    }
    if (!"simple".equals(str(k.doc(), "spec", "kafka", "authorization", "type"))) {
      problems.add(k.where() + ": authorization is not simple");
    }
    Set<String> authTypes = new HashSet<>();
    for (Object l : list(at(k.doc(), "spec", "kafka", "listeners"))) {
      String type = str(l, "authentication", "type");
      if (!Boolean.TRUE.equals(at(l, "tls"))
          || !Set.of("scram-sha-512", "tls").contains(String.valueOf(type))) {
        problems.add(k.where() + ": listener " + str(l, "name") + " is not TLS + SCRAM or mTLS");
      }
      authTypes.add(type);
    }
    List<Manifest> pools = kind(base, "KafkaNodePool");
    if (pools.stream()
        .noneMatch(
            p ->
                k.name().equals(str(p.doc(), "metadata", "labels", "strimzi.io/cluster"))
                    && list(at(p.doc(), "spec", "roles")).contains("broker"))) {
      problems.add("no KafkaNodePool with the broker role for " + k.name());
    }
    if (pools.stream().noneMatch(p -> list(at(p.doc(), "spec", "roles")).contains("controller"))) {
      problems.add("no KafkaNodePool with the controller role (KRaft)");
    }
    for (String kindName : List.of("KafkaNodePool", "KafkaTopic", "KafkaUser")) {
      for (Manifest m : kind(base, kindName)) {
        if (!k.name().equals(str(m.doc(), "metadata", "labels", "strimzi.io/cluster"))) {
          problems.add(m.where() + ": label strimzi.io/cluster is not " + k.name());
        }
      }
    }
    for (Manifest u : kind(base, "KafkaUser")) {
      if (!authTypes.contains(str(u.doc(), "spec", "authentication", "type"))) {
        problems.add(u.where() + ": authentication type no listener accepts");
      }
    }
    String bootstrap = k.name() + "-kafka-bootstrap:" + kafkaListenerPort(k);
    for (Manifest d : kind(base, "Deployment")) {
      Map<String, String> env = env(serviceContainer(d));
      if (!bootstrap.equals(env.get("KAFKA_BOOTSTRAP"))) {
        problems.add(d.where() + ": KAFKA_BOOTSTRAP is " + env.get("KAFKA_BOOTSTRAP"));
      }
      if (!"SASL_SSL".equals(env.get("KAFKA_SECURITY_PROTOCOL"))
          && !"SSL".equals(env.get("KAFKA_SECURITY_PROTOCOL"))) {
        problems.add(d.where() + ": KAFKA_SECURITY_PROTOCOL is not SASL_SSL or SSL");
      }
    }
    assertNone(problems);
  }

  @Test
  void everyAsyncApiTopicHasAKafkaTopicAndViceVersa() {
    List<String> problems = new ArrayList<>();
    Set<String> documented = asyncApiTopics();
    Map<String, Manifest> declared = new TreeMap<>();
    for (Manifest t : kind(base, "KafkaTopic")) {
      if (declared.put(topicName(t), t) != null) {
        problems.add(t.where() + ": topic " + topicName(t) + " declared twice");
      }
    }
    for (String t : documented) {
      if (!declared.containsKey(t)) {
        problems.add("asyncapi.yaml topic " + t + " has no KafkaTopic");
      }
    }
    for (String t : declared.keySet()) {
      if (!documented.contains(t)) {
        problems.add("KafkaTopic " + t + " is not a channel of docs/events/asyncapi.yaml");
      }
    }
    // Partitions and retention: the values topics.md asks of the deployment.
    Pattern row =
        Pattern.compile(
            "^\\|\\s*`([a-z0-9.-]+)`\\s*\\|.*\\|\\s*(\\d+)\\s*/\\s*(\\d+)\\s*days?\\b[^|]*\\|\\s*$");
    int rows = 0;
    for (String line : Repo.read(Repo.path("docs/events/topics.md")).lines().toList()) {
      Matcher m = row.matcher(line);
      if (!m.matches()) {
        continue;
      }
      rows++;
      Manifest t = declared.get(m.group(1));
      if (t == null) {
        problems.add("topics.md topic " + m.group(1) + " has no KafkaTopic");
        continue;
      }
      Object partitions = at(t.doc(), "spec", "partitions");
      if (!(partitions instanceof Number p) || p.intValue() != Integer.parseInt(m.group(2))) {
        problems.add(t.where() + ": partitions " + partitions + ", topics.md says " + m.group(2));
      }
      long retention = Long.parseLong(m.group(3)) * 24 * 3600 * 1000;
      Object actual = at(t.doc(), "spec", "config", "retention.ms");
      if (!(actual instanceof Number r) || r.longValue() != retention) {
        problems.add(
            t.where() + ": retention.ms " + actual + ", topics.md says " + m.group(3) + " days");
      }
    }
    if (rows == 0) {
      problems.add("no topic row with 'partitions / retention' found in docs/events/topics.md");
    }
    for (Manifest t : declared.values()) {
      if (!(at(t.doc(), "spec", "partitions") instanceof Number)
          || !(at(t.doc(), "spec", "replicas") instanceof Number)
          || !(at(t.doc(), "spec", "config", "retention.ms") instanceof Number)) {
        problems.add(t.where() + ": needs partitions, replicas and config retention.ms");
      }
    }
    assertNone(problems);
  }

  @Test
  void producedTopicsTableMatchesTheEventPackages() throws IOException {
    List<String> problems = new ArrayList<>();
    Set<String> topics = asyncApiTopics();
    Pattern constant = Pattern.compile("static\\s+final\\s+String\\s+\\w+\\s*=\\s*\"([^\"]+)\"");
    for (Repo.Service svc : services.values()) {
      Set<String> found = new TreeSet<>();
      for (Path f : Repo.walk(Repo.path(svc.name() + "/src/main/java"), ".java")) {
        if (!f.getParent().getFileName().toString().equals("event")) {
          continue;
        }
        Matcher m = constant.matcher(Repo.read(f));
        while (m.find()) {
          if (topics.contains(m.group(1))) {
            found.add(m.group(1));
          }
        }
      }
      found.addAll(svc.outgoingTopics());
      Set<String> table = new TreeSet<>(PRODUCED_TOPICS.getOrDefault(svc.name(), Set.of()));
      if (!found.equals(table)) {
        problems.add(
            svc.name()
                + ": its event package and outgoing channels name topics "
                + found
                + ", PRODUCED_TOPICS says "
                + table);
      }
    }
    assertNone(problems);
  }

  @Test
  void eachKafkaUserHasExactlyTheAclsOfItsService() {
    List<String> problems = new ArrayList<>();
    Map<String, Manifest> users = new TreeMap<>();
    for (Manifest u : kind(base, "KafkaUser")) {
      users.put(u.name(), u);
    }
    if (!users.keySet().equals(services.keySet())) {
      problems.add("KafkaUsers " + users.keySet() + " are not the services " + services.keySet());
    }
    for (Repo.Service svc : services.values()) {
      Map<String, Set<String>> expected = new TreeMap<>();
      for (String t : PRODUCED_TOPICS.getOrDefault(svc.name(), Set.of())) {
        expected
            .computeIfAbsent("topic " + t, k -> new TreeSet<>())
            .addAll(List.of("Write", "Describe"));
      }
      for (String t : svc.outgoingTopics()) {
        expected
            .computeIfAbsent("topic " + t, k -> new TreeSet<>())
            .addAll(List.of("Write", "Describe"));
      }
      if (OUTBOX_PRODUCERS.contains(svc.name())) {
        expected.put(
            "transactionalId " + svc.name() + "-outbox-",
            new TreeSet<>(List.of("Write", "Describe")));
      }
      svc.incomingTopicsToGroups()
          .forEach(
              (topic, group) -> {
                expected
                    .computeIfAbsent("topic " + topic, k -> new TreeSet<>())
                    .addAll(List.of("Read", "Describe"));
                expected.computeIfAbsent("group " + group, k -> new TreeSet<>()).add("Read");
              });
      Manifest u = users.get(svc.name());
      if (u == null) {
        continue;
      }
      Map<String, Set<String>> actual = new TreeMap<>();
      if (!"simple".equals(str(u.doc(), "spec", "authorization", "type"))) {
        problems.add(u.where() + ": authorization is not simple");
      }
      for (Object acl : list(at(u.doc(), "spec", "authorization", "acls"))) {
        String pattern = str(acl, "resource", "patternType");
        String name = str(acl, "resource", "name");
        boolean relayIds =
            "transactionalId".equals(str(acl, "resource", "type"))
                && (svc.name() + "-outbox-").equals(name);
        if (pattern != null && !pattern.equals(relayIds ? "prefix" : "literal")
            || "*".equals(name)) {
          problems.add(u.where() + ": ACL on " + name + " is not one literal resource");
        }
        if (str(acl, "type") != null && !"allow".equals(str(acl, "type"))) {
          problems.add(u.where() + ": ACL type " + str(acl, "type"));
        }
        Set<String> ops =
            actual.computeIfAbsent(str(acl, "resource", "type") + " " + name, k -> new TreeSet<>());
        for (Object op : list(map(acl).get("operations"))) {
          ops.add(String.valueOf(op));
        }
        if (str(acl, "operation") != null) {
          ops.add(str(acl, "operation"));
        }
      }
      if (!actual.equals(expected)) {
        problems.add(u.where() + ": ACLs " + diff(flatten(actual), flatten(expected)));
      }
      for (String t : NO_SERVICE_READS) {
        if (actual.getOrDefault("topic " + t, Set.of()).contains("Read")) {
          problems.add(u.where() + ": may read " + t + ", which is the notifier's only");
        }
      }
      // The service authenticates as this user.
      List<Manifest> ds =
          kind(base, "Deployment").stream().filter(d -> svc.name().equals(d.name())).toList();
      String jaas =
          ds.isEmpty() ? null : env(serviceContainer(ds.get(0))).get("KAFKA_SASL_JAAS_CONFIG");
      if (!("secret:" + u.name() + "/sasl.jaas.config").equals(jaas)) {
        problems.add(
            svc.name()
                + ": KAFKA_SASL_JAAS_CONFIG must come from Secret "
                + u.name()
                + " key sasl.jaas.config (the KafkaUser's), is "
                + jaas);
      }
    }
    assertNone(problems);
  }

  // ------------------------------------------------------------------ PostgreSQL

  @Test
  void eachServiceHasItsOwnPostgresCluster() {
    List<String> problems = new ArrayList<>();
    List<Manifest> clusters = kind(base, "Cluster");
    Set<String> databases =
        services.values().stream().map(Repo.Service::database).collect(Collectors.toSet());
    for (Manifest c : clusters) {
      if (!"postgresql.cnpg.io/v1".equals(c.apiVersion())) {
        problems.add(c.where() + ": not postgresql.cnpg.io/v1");
      }
      String db = str(c.doc(), "spec", "bootstrap", "initdb", "database");
      if (!databases.contains(db)) {
        problems.add(c.where() + ": database " + db + " is no service's");
      }
      if (!(at(c.doc(), "spec", "instances") instanceof Number n) || n.intValue() < 1) {
        problems.add(c.where() + ": no instances");
      }
    }
    for (Repo.Service svc : services.values()) {
      Manifest c = clusterFor(svc);
      if (c == null) {
        problems.add(svc.name() + ": expected one Cluster with initdb database " + svc.database());
        continue;
      }
      String owner = str(c.doc(), "spec", "bootstrap", "initdb", "owner");
      if (!svc.dbOwner().equals(owner)) {
        problems.add(c.where() + ": owner " + owner + ", the service connects as " + svc.dbOwner());
      }
      String secret = str(c.doc(), "spec", "bootstrap", "initdb", "secret", "name");
      List<Manifest> ds =
          kind(base, "Deployment").stream().filter(d -> svc.name().equals(d.name())).toList();
      if (ds.isEmpty()) {
        continue;
      }
      Map<String, String> env = env(serviceContainer(ds.get(0)));
      if (!("secret:" + secret + "/username").equals(env.get(svc.dbUserVar()))
          || !("secret:" + secret + "/password").equals(env.get(svc.dbPasswordVar()))) {
        problems.add(
            svc.name()
                + ": "
                + svc.dbUserVar()
                + "/"
                + svc.dbPasswordVar()
                + " must come from the Cluster's initdb Secret "
                + secret);
      }
      String url = "postgresql://" + c.name() + "-rw:5432/" + svc.database();
      if (!url.equals(env.get(svc.dbUrlVar()))) {
        problems.add(
            svc.name()
                + ": "
                + svc.dbUrlVar()
                + " is "
                + env.get(svc.dbUrlVar())
                + ", expected "
                + url);
      }
    }
    assertNone(problems);
  }

  // ------------------------------------------------------------------ rendered overlays

  /**
   * kubectl with an embedded kustomize v4 or later (kubectl 1.21+), which knows {@code patches:}
   * with targets and {@code components:}. Older ones (Debian bookworm's kubernetes-client is 1.20,
   * kustomize v2.0.3) would fail on valid overlays, so they count as absent: the rendering checks
   * are then reported as skipped.
   */
  static boolean kubectlAvailable() {
    if (kubectlChecked == null) {
      kubectlChecked = false;
      try {
        Process p =
            new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("Kustomize Version: v(\\d+)").matcher(out);
        kubectlChecked =
            p.waitFor(30, TimeUnit.SECONDS)
                && p.exitValue() == 0
                && m.find()
                && Integer.parseInt(m.group(1)) >= 4;
      } catch (IOException | InterruptedException e) {
        kubectlChecked = false;
      }
    }
    return kubectlChecked;
  }

  private static Boolean kubectlChecked;

  static final String NO_KUBECTL =
      "no kubectl with kustomize v4+ on PATH (kubectl 1.21 or later): overlays not rendered";

  @Test
  void everyOverlayRendersWithNamespaceTagsAndSizesOfItsEnvironment() throws Exception {
    Assumptions.assumeTrue(kubectlAvailable(), NO_KUBECTL);
    List<String> problems = new ArrayList<>();
    for (Path overlay : overlays()) {
      String env = overlay.getFileName().toString();
      Path stderr = Files.createTempFile("kustomize-" + env, ".err");
      Process p =
          new ProcessBuilder("kubectl", "kustomize", overlay.toString())
              .redirectError(stderr.toFile())
              .start();
      String rendered = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "kubectl kustomize " + env + " hung");
      String errors = Repo.read(stderr).strip();
      Files.deleteIfExists(stderr);
      if (p.exitValue() != 0) {
        problems.add("kubectl kustomize " + rel(overlay) + " failed: " + errors);
        continue;
      }
      List<Map<String, Object>> objs = new ArrayList<>();
      for (Object d : Repo.loadAll(rendered)) {
        objs.add(map(d));
      }
      Map<String, Object> kust = map(Repo.loadAll(overlay.resolve("kustomization.yaml")).get(0));
      String ns = str(kust, "namespace");
      // Sizes follow the environment an overlay builds on (dev-nginx is dev).
      String size = env.startsWith("prod") ? "prod" : env.startsWith("dev") ? "dev" : env;
      // Nothing lost, nothing unexpected: base's objects and the Namespace, and with the nginx
      // component its objects and generated ConfigMap instead of the Gateway API ones.
      Set<String> expected = new TreeSet<>();
      base.forEach(m -> expected.add(m.kind() + "/" + m.name()));
      expected.add("Namespace/" + ns);
      if (list(kust.get("components")).contains("../../components/nginx-gateway")) {
        expected.removeIf(k -> k.startsWith("Gateway/") || k.startsWith("HTTPRoute/"));
        components.forEach(m -> expected.add(m.kind() + "/" + m.name()));
        expected.add("ConfigMap/" + NGINX_DEPLOYMENT + "-<hash>");
      }
      Set<String> got = new TreeSet<>();
      for (Map<String, Object> o : objs) {
        String name = str(o, "metadata", "name");
        if ("ConfigMap".equals(str(o, "kind"))
            && name.matches(NGINX_DEPLOYMENT + "-[a-z0-9]{10}")) {
          name = NGINX_DEPLOYMENT + "-<hash>";
        }
        got.add(str(o, "kind") + "/" + name);
      }
      if (!got.equals(expected)) {
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(got);
        Set<String> extra = new TreeSet<>(got);
        extra.removeAll(expected);
        problems.add(env + ": renders without " + missing + ", and with unexpected " + extra);
      }
      int brokers = 0;
      for (Map<String, Object> o : objs) {
        String kind = str(o, "kind");
        String w = env + " " + kind + "/" + str(o, "metadata", "name");
        if (!"Namespace".equals(kind) && !ns.equals(str(o, "metadata", "namespace"))) {
          problems.add(w + ": namespace " + str(o, "metadata", "namespace") + ", not " + ns);
        }
        if ("KafkaNodePool".equals(kind) && list(at(o, "spec", "roles")).contains("broker")) {
          brokers += ((Number) at(o, "spec", "replicas")).intValue();
        }
        for (Object c : list(at(o, "spec", "template", "spec", "containers"))) {
          String image = str(c, "image");
          if (image.endsWith(":latest") || !image.contains(":")) {
            problems.add(w + ": image " + image + " has no release tag");
          }
        }
        if ("Cluster".equals(kind)) {
          int instances = size.equals("prod") ? 3 : size.equals("dev") ? 1 : -1;
          Object n = at(o, "spec", "instances");
          if (instances > 0 && !Objects.equals(n, instances)) {
            problems.add(w + ": instances " + n + ", expected " + instances + " in " + env);
          }
        }
        if ("HorizontalPodAutoscaler".equals(kind) && size.equals("prod")) {
          if (((Number) at(o, "spec", "minReplicas")).intValue() < 2) {
            problems.add(w + ": prod minReplicas below 2 (a disruption would leave none)");
          }
        }
      }
      for (Map<String, Object> o : objs) {
        String w = env + " " + str(o, "kind") + "/" + str(o, "metadata", "name");
        if ("KafkaTopic".equals(str(o, "kind"))
            && ((Number) at(o, "spec", "replicas")).intValue() > brokers) {
          problems.add(w + ": replicas above the " + brokers + " broker(s)");
        }
        if ("Kafka".equals(str(o, "kind"))) {
          Map<String, Object> config = map(at(o, "spec", "kafka", "config"));
          for (String key :
              List.of(
                  "default.replication.factor",
                  "offsets.topic.replication.factor",
                  "transaction.state.log.replication.factor",
                  "min.insync.replicas")) {
            if (config.get(key) instanceof Number n && n.intValue() > brokers) {
              problems.add(w + ": " + key + " " + n + " above the " + brokers + " broker(s)");
            }
          }
          if (config.get("min.insync.replicas") instanceof Number isr) {
            for (Map<String, Object> t : objs) {
              if ("KafkaTopic".equals(str(t, "kind"))
                  && ((Number) at(t, "spec", "replicas")).intValue() < isr.intValue()) {
                problems.add(
                    env
                        + " KafkaTopic/"
                        + str(t, "metadata", "name")
                        + ": fewer replicas than min.insync.replicas (acks=all would fail)");
              }
            }
          }
        }
      }
    }
    assertNone(problems);
  }

  // ------------------------------------------------------------------ nginx gateway (component)

  @Test
  void nginxGatewayReachesEveryServiceAndEveryServiceAdmitsIt() {
    List<String> problems = new ArrayList<>();
    Manifest d = one(components, "Deployment", NGINX_DEPLOYMENT, problems);
    Manifest policy = one(components, "NetworkPolicy", NGINX_DEPLOYMENT, problems);
    Manifest svc = one(components, "Service", NGINX_DEPLOYMENT, problems);
    assertNone(problems);
    String conf = Repo.read(Repo.path(NGINX_CONF));
    Map<String, String> labels = podLabels(d);
    // Upstreams: every service, by its Service name and port, and nothing else.
    Map<String, Integer> upstreams = new TreeMap<>();
    Matcher m = Pattern.compile("(?m)^\\s*server\\s+([a-z0-9-]+):(\\d+);").matcher(conf);
    while (m.find()) {
      upstreams.put(m.group(1), Integer.parseInt(m.group(2)));
    }
    Map<String, Integer> ports = new TreeMap<>();
    services.values().forEach(s -> ports.put(s.name(), s.httpPort()));
    if (!upstreams.equals(ports)) {
      problems.add(NGINX_CONF + ": upstreams " + upstreams + ", services " + ports);
    }
    Set<String> expectedEgress = new TreeSet<>();
    for (Repo.Service s : services.values()) {
      expectedEgress.add("pods{app.kubernetes.io/name=" + s.name() + "} TCP/" + s.httpPort());
      // Each service's own policy must admit these pods on its port.
      Manifest sp = one(base, "NetworkPolicy", s.name(), problems);
      if (sp == null) {
        continue;
      }
      boolean admitted = false;
      for (Object rule : list(at(sp.doc(), "spec", "ingress"))) {
        boolean port =
            list(map(rule).get("ports")).stream()
                .anyMatch(pt -> Objects.equals(at(pt, "port"), s.httpPort()));
        boolean peer =
            list(map(rule).get("from")).stream()
                .anyMatch(
                    pr ->
                        !map(pr).containsKey("namespaceSelector")
                            && selects(at(pr, "podSelector"), labels));
        admitted |= port && peer;
      }
      if (!admitted) {
        problems.add(sp.where() + ": does not admit the nginx gateway's pods on " + s.httpPort());
      }
    }
    expectedEgress.add("ns{kubernetes.io/metadata.name=kube-system} pods{k8s-app=kube-dns} UDP/53");
    expectedEgress.add("ns{kubernetes.io/metadata.name=kube-system} pods{k8s-app=kube-dns} TCP/53");
    Set<String> egress = admitted(at(policy.doc(), "spec", "egress"), "to");
    if (!egress.equals(expectedEgress)) {
      problems.add(policy.where() + ": egress " + egress + ", expected " + expectedEgress);
    }
    if (!selects(at(policy.doc(), "spec", "podSelector"), labels)) {
      problems.add(policy.where() + ": does not select the gateway's pods");
    }
    // nginx listens where the container, the Service and the policy say.
    Matcher listen = Pattern.compile("(?m)^\\s*listen\\s+(\\d+);").matcher(conf);
    Set<Integer> listens = new TreeSet<>();
    while (listen.find()) {
      listens.add(Integer.parseInt(listen.group(1)));
    }
    Object c = containers(d).get(0);
    Map<String, Object> containerPorts = new TreeMap<>();
    list(map(c).get("ports"))
        .forEach(p -> containerPorts.put(str(p, "name"), at(p, "containerPort")));
    Object http = containerPorts.get("http");
    if (!listens.contains(http) || !listens.contains(containerPorts.get("health"))) {
      problems.add(NGINX_CONF + ": listens on " + listens + ", container ports " + containerPorts);
    }
    if (!admitted(at(policy.doc(), "spec", "ingress"), "from")
        .equals(Set.of("ANY PEER TCP/" + http))) {
      problems.add(policy.where() + ": ingress must be anyone on " + http + " only");
    }
    boolean svcOk =
        list(at(svc.doc(), "spec", "ports")).stream()
            .anyMatch(p -> "http".equals(str(p, "targetPort")));
    if (!svcOk || !selects(Map.of("matchLabels", map(at(svc.doc(), "spec", "selector"))), labels)) {
      problems.add(svc.where() + ": must select the gateway's pods and target port http");
    }
    // The container reads the generated file from the generated ConfigMap.
    List<Object> args = list(map(c).get("args"));
    int ci = args.indexOf("-c");
    String confPath = ci >= 0 && ci + 1 < args.size() ? String.valueOf(args.get(ci + 1)) : "";
    boolean mounted = false;
    for (Object vm : list(map(c).get("volumeMounts"))) {
      for (Object v : list(at(d.doc(), "spec", "template", "spec", "volumes"))) {
        if (str(vm, "name").equals(str(v, "name"))
            && NGINX_DEPLOYMENT.equals(str(v, "configMap", "name"))
            && confPath.equals(str(vm, "mountPath") + "/nginx.conf")) {
          mounted = true;
        }
      }
    }
    if (!mounted) {
      problems.add(d.where() + ": -c " + confPath + " is not the mounted ConfigMap's nginx.conf");
    }
    // /openapi serves the API document from the same ConfigMap, next to nginx.conf.
    String confDir = confPath.substring(0, Math.max(0, confPath.lastIndexOf('/')));
    if (!Pattern.compile(
            "location = /openapi \\{[^}]*\\balias\\s+" + Pattern.quote(confDir + "/openapi.json;"))
        .matcher(conf)
        .find()) {
      problems.add(NGINX_CONF + ": /openapi must serve " + confDir + "/openapi.json");
    }
    List<Object> files = new ArrayList<>();
    Object kustomization = Repo.loadAll(Repo.path(NGINX_COMPONENT + "/kustomization.yaml")).get(0);
    for (Object gen : list(map(kustomization).get("configMapGenerator"))) {
      if (NGINX_DEPLOYMENT.equals(str(gen, "name"))) {
        files.addAll(list(map(gen).get("files")));
      }
    }
    if (!files.containsAll(List.of("nginx.conf", "openapi.json"))) {
      problems.add(
          NGINX_COMPONENT
              + "/kustomization.yaml: the ConfigMap "
              + NGINX_DEPLOYMENT
              + " must hold nginx.conf and openapi.json, has "
              + files);
    }
    assertNone(problems);
  }

  /** nginx itself accepts the generated file (upstream names mapped to loopback to resolve). */
  @Test
  void generatedNginxConfPassesNginxItsConfigurationTest(@TempDir Path tmp) throws Exception {
    boolean nginx;
    try {
      Process v = new ProcessBuilder("nginx", "-v").redirectErrorStream(true).start();
      v.getInputStream().readAllBytes();
      nginx = v.waitFor(30, TimeUnit.SECONDS) && v.exitValue() == 0;
    } catch (IOException e) {
      nginx = false;
    }
    Assumptions.assumeTrue(nginx, "nginx not on PATH");
    String conf =
        Repo.read(Repo.path(NGINX_CONF))
            .replaceAll("(?m)^(\\s*server\\s+)[a-z0-9-]+-service:", "$1127.0.0.1:")
            .replace("/tmp/", tmp + "/");
    Path file = tmp.resolve("nginx.conf");
    Files.writeString(file, conf, StandardCharsets.UTF_8);
    Process p =
        new ProcessBuilder(
                "nginx",
                "-t",
                "-c",
                file.toString(),
                "-e",
                "stderr",
                "-g",
                "pid " + tmp.resolve("nginx.pid") + ";")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "nginx -t hung");
    assertEquals(0, p.exitValue(), "nginx -t refuses " + NGINX_CONF + ":\n" + out);
  }

  // ------------------------------------------------------------------ container images

  @Test
  void containerImagesQuarkusBuildsAreTheImagesDeployRuns() throws IOException {
    List<String> problems = new ArrayList<>();
    String version = projectVersion();
    Map<String, Object> dev =
        map(Repo.loadAll(Repo.path("deploy/overlays/dev/kustomization.yaml")).get(0));
    Map<String, String> devTags = new TreeMap<>();
    list(dev.get("images")).forEach(i -> devTags.put(str(i, "name"), str(i, "newTag")));
    for (Repo.Service svc : services.values()) {
      String where = svc.name() + "/src/main/resources/application.properties";
      if (!Repo.read(Repo.path(svc.name() + "/pom.xml"))
          .contains("<artifactId>quarkus-container-image-jib</artifactId>")) {
        problems.add(svc.name() + "/pom.xml: no quarkus-container-image-jib");
      }
      java.util.Properties p = svc.props();
      for (String key : List.of("build", "push")) {
        if (!"false".equals(p.getProperty("quarkus.container-image." + key))) {
          problems.add(where + ": quarkus.container-image." + key + " must be false by default");
        }
      }
      String repo =
          p.getProperty("quarkus.container-image.group")
              + "/"
              + p.getProperty("quarkus.container-image.name");
      String tag = p.getProperty("quarkus.container-image.tag", "");
      if (!tag.equals("${quarkus.application.version:latest}")
          && !tag.equals("${quarkus.application.version}")) {
        problems.add(
            where + ": quarkus.container-image.tag " + tag + " is not the project version");
      }
      Manifest d = one(base, "Deployment", svc.name(), problems);
      if (d != null) {
        String image = str(serviceContainer(d), "image");
        if (image == null || !image.startsWith(repo + ":")) {
          problems.add(d.where() + ": image " + image + ", Quarkus builds " + repo);
        }
      }
      // dev runs what `./mvnw package -Dquarkus.container-image.build=true` builds: the version.
      if (!version.equals(devTags.get(repo))) {
        problems.add(
            "deploy/overlays/dev: "
                + repo
                + " tag "
                + devTags.get(repo)
                + ", the build tags "
                + version);
      }
    }
    assertNone(problems);
  }

  static String projectVersion() {
    Matcher m =
        Pattern.compile("<artifactId>rewards-platform</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(Repo.read(Repo.path("pom.xml")));
    assertTrue(m.find(), "no rewards-platform version in pom.xml");
    return m.group(1);
  }

  // ------------------------------------------------------------------ Grafana dashboard

  static final String DASHBOARD = "deploy/observability/grafana-dashboard.json";

  /** PromQL words that are not metric names. */
  static final Set<String> PROMQL =
      Set.of(
          "sum",
          "max",
          "min",
          "avg",
          "count",
          "rate",
          "irate",
          "increase",
          "by",
          "without",
          "on",
          "ignoring",
          "histogram_quantile",
          "topk",
          "bottomk",
          "and",
          "or",
          "unless",
          "offset",
          "label_values",
          "clamp_min",
          "abs",
          "le");

  @Test
  void everyDashboardMetricIsOneTheServicesExpose() throws IOException {
    List<String> problems = new ArrayList<>();
    com.fasterxml.jackson.databind.JsonNode dash =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(Repo.read(Repo.path(DASHBOARD)));
    List<String> exprs = new ArrayList<>();
    dash.findValues("expr").forEach(e -> exprs.add(e.asText()));
    dash.findValues("definition").forEach(e -> exprs.add(e.asText()));
    assertFalse(exprs.isEmpty(), DASHBOARD + " has no queries");
    Set<String> exposed = new TreeSet<>(codeMetrics());
    for (String line :
        Repo.read(Repo.path("system-tests/src/test/resources/framework-metrics.txt"))
            .lines()
            .toList()) {
      if (!line.isBlank() && !line.startsWith("#")) {
        exposed.add(line.trim());
      }
    }
    Set<String> used = new TreeSet<>();
    for (String expr : exprs) {
      used.addAll(metricNames(expr));
    }
    for (String name : used) {
      if (!exposed.contains(name)) {
        problems.add(DASHBOARD + ": " + name + " is exposed by no service");
      }
    }
    // And the other way: every metric the code defines has a panel.
    for (String name : codeMetrics()) {
      String family = name.replaceAll("_(total|count|sum|max|bucket)$", "");
      if (used.stream().noneMatch(u -> u.startsWith(family))) {
        problems.add(DASHBOARD + ": no panel shows " + name);
      }
    }
    // The ConfigMap the sidecar loads carries this file.
    Map<String, Object> kust =
        map(Repo.loadAll(Repo.path("deploy/observability/kustomization.yaml")).get(0));
    boolean carried =
        list(kust.get("configMapGenerator")).stream()
            .anyMatch(
                g ->
                    "1".equals(str(g, "options", "labels", "grafana_dashboard"))
                        && list(map(g).get("files")).stream()
                            .anyMatch(f -> String.valueOf(f).endsWith("grafana-dashboard.json")));
    if (!carried) {
      problems.add("deploy/observability: no grafana_dashboard ConfigMap carries the dashboard");
    }
    assertNone(problems);
  }

  /** Metric names in a PromQL expression: identifiers outside label matchers and groupings. */
  static Set<String> metricNames(String expr) {
    String bare =
        expr.replaceAll("\\{[^}]*}", " ")
            .replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", " ")
            .replaceAll("\\[[^]]*]", " ")
            .replaceAll("\\$\\w+", " ")
            .replaceAll("\"[^\"]*\"", " ");
    Set<String> out = new TreeSet<>();
    Matcher m = Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\b(\\s*\\()?").matcher(bare);
    while (m.find()) {
      String word = m.group(1);
      if (m.group(2) == null && !PROMQL.contains(word) && word.contains("_")) {
        out.add(word);
      }
    }
    return out;
  }

  /**
   * The Prometheus names of the meters the code registers (Micrometer: dots become underscores,
   * counters get _total; a base unit of seconds is already in our names).
   */
  static Set<String> codeMetrics() throws IOException {
    Set<String> out = new TreeSet<>();
    Pattern meter = Pattern.compile("\\.(counter|gauge)\\(\\s*\"(rewards\\.[a-z0-9_.]+)\"");
    for (Path f : Repo.walk(Repo.ROOT, ".java")) {
      String rel = rel(f);
      if (!rel.contains("/src/main/java/")) {
        continue;
      }
      Matcher m = meter.matcher(Files.readString(f, StandardCharsets.UTF_8));
      while (m.find()) {
        String name = m.group(2).replace('.', '_');
        out.add(m.group(1).equals("counter") ? name + "_total" : name);
      }
    }
    assertFalse(out.isEmpty(), "no rewards.* meters found in the code");
    return out;
  }
}
