package com.rewards.systemtests;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The repository checkout the tests read: deploy/, gateway/, docs/ and the services' config. */
final class Repo {
  private Repo() {}

  static final Path ROOT = findRoot();

  private static Path findRoot() {
    String configured = System.getProperty("rewards.repo.root");
    Path start =
        configured != null ? Paths.get(configured) : Paths.get("").toAbsolutePath().getParent();
    for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("deploy")) && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException("no repository root with deploy/ above " + start);
  }

  static Path path(String relative) {
    return ROOT.resolve(relative);
  }

  static String rel(Path p) {
    return ROOT.relativize(p.toAbsolutePath().normalize()).toString();
  }

  static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Path> walk(Path dir, String... suffixes) {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(
              f -> {
                for (String suffix : suffixes) {
                  if (f.getFileName().toString().endsWith(suffix)) {
                    return true;
                  }
                }
                return false;
              })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A YAML parser that refuses duplicate keys and anything but plain data. */
  static Yaml yaml() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    return new Yaml(new SafeConstructor(options));
  }

  /** Every document of a YAML file (empty documents, such as a leading comment, are dropped). */
  static List<Object> loadAll(Path file) {
    List<Object> docs = new ArrayList<>();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (Object doc : yaml().loadAll(r)) {
        if (doc != null) {
          docs.add(doc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return docs;
  }

  static List<Object> loadAll(String text) {
    List<Object> docs = new ArrayList<>();
    for (Object doc : yaml().loadAll(text)) {
      if (doc != null) {
        docs.add(doc);
      }
    }
    return docs;
  }

  // ------------------------------------------------------------------ services

  /** One Quarkus service module, as its application.properties describes it. */
  record Service(
      String name,
      Properties props,
      int httpPort,
      String dbUrlVar,
      String dbUserVar,
      String dbPasswordVar,
      String database,
      String dbOwner,
      Map<String, String> incomingTopicsToGroups,
      List<String> outgoingTopics,
      List<String> envVars) {}

  private static final Pattern VAR = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(:|})");
  private static final Pattern VAR_WITH_DEFAULT =
      Pattern.compile("^\\$\\{([A-Z][A-Z0-9_]*):(.*)}$", Pattern.DOTALL);

  /** The `*-service` modules at the root that have an application.properties. */
  static Map<String, Service> services() {
    Map<String, Service> out = new TreeMap<>();
    try (Stream<Path> s = Files.list(ROOT)) {
      for (Path dir : s.sorted().toList()) {
        Path props = dir.resolve("src/main/resources/application.properties");
        String name = dir.getFileName().toString();
        if (name.endsWith("-service") && Files.isRegularFile(props)) {
          out.put(name, service(name, props));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static Service service(String name, Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String where = rel(file);
    int port = Integer.parseInt(defaultOf(where, p, "quarkus.http.port")[1]);
    String[] url = defaultOf(where, p, "quarkus.datasource.reactive.url");
    String[] user = defaultOf(where, p, "quarkus.datasource.username");
    String[] password = defaultOf(where, p, "quarkus.datasource.password");
    String database = url[1].substring(url[1].lastIndexOf('/') + 1);
    Map<String, String> incoming = new LinkedHashMap<>();
    List<String> outgoing = new ArrayList<>();
    Pattern channel = Pattern.compile("^mp\\.messaging\\.(incoming|outgoing)\\.([^.]+)\\.topic$");
    for (String key : new TreeMap<>(toMap(p)).keySet()) {
      Matcher m = channel.matcher(key);
      if (!m.matches()) {
        continue;
      }
      String topic = p.getProperty(key).trim();
      if (m.group(1).equals("incoming")) {
        String group = p.getProperty("mp.messaging.incoming." + m.group(2) + ".group.id");
        if (group == null) {
          throw new IllegalStateException(
              where + ": incoming channel " + m.group(2) + " has no group.id (needed for ACLs)");
        }
        incoming.put(topic, group.trim());
      } else {
        outgoing.add(topic);
      }
    }
    List<String> vars = new ArrayList<>();
    Matcher m = VAR.matcher(read(file));
    while (m.find()) {
      if (!vars.contains(m.group(1))) {
        vars.add(m.group(1));
      }
    }
    return new Service(
        name, p, port, url[0], user[0], password[0], database, user[1], incoming, outgoing, vars);
  }

  private static Map<String, String> toMap(Properties p) {
    Map<String, String> m = new TreeMap<>();
    for (String k : p.stringPropertyNames()) {
      m.put(k, p.getProperty(k));
    }
    return m;
  }

  /** {variable, default} of a property written as ${VARIABLE:default}. */
  private static String[] defaultOf(String where, Properties p, String key) {
    String value = p.getProperty(key);
    if (value == null) {
      throw new IllegalStateException(where + ": no " + key);
    }
    Matcher m = VAR_WITH_DEFAULT.matcher(value.trim());
    if (!m.matches()) {
      throw new IllegalStateException(where + ": " + key + " is not ${VARIABLE:default}");
    }
    return new String[] {m.group(1), m.group(2)};
  }

  // ------------------------------------------------------------------ YAML navigation

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return o instanceof List<?> l ? (List<Object>) l : List.of();
  }

  static Object at(Object node, String... path) {
    Object cur = node;
    for (String key : path) {
      if (cur instanceof Map<?, ?> m) {
        cur = m.get(key);
      } else if (cur instanceof List<?> l && key.matches("\\d+")) {
        int i = Integer.parseInt(key);
        cur = i < l.size() ? l.get(i) : null;
      } else {
        return null;
      }
    }
    return cur;
  }

  static String str(Object node, String... path) {
    Object o = at(node, path);
    return o == null ? null : String.valueOf(o);
  }
}
