import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw side of bench/ledger's read ratios: the statements loyalty-service runs for one {@code
 * GET /gift/list} or {@code GET /user/info}, sent with the Vert.x PostgreSQL client the service
 * itself uses (same version, unnamed prepared statements as Quarkus' default), without HTTP, JSON,
 * security or Hibernate. Per request, as the service does: the token's revocation check on the pool,
 * then the session's queries one after the other on one connection.
 *
 * <pre>
 * java -cp 'loyalty-service/target/quarkus-app/lib/main/*' RawPgReads.java \
 *   giftlist|userinfo CLIENT_ID USERS WARMUP_S DURATION_S POOL IN_FLIGHT HOST PORT DB USER PASSWORD
 * </pre>
 *
 * Users are bench-u-1..USERS in turn. Prints {@code MEASURING} when the warm-up is over, then one
 * line: {@code BENCH requests= rps= p50= p90= p99= max= errors= cpu_s=} (latencies in ms, from the
 * first statement to the last row of the request; cpu_s = this JVM's CPU time while measuring).
 */
public class RawPgReads {
  static final String REVOKED =
      "select valid_after from token_revocations where client_id = $1 and user_id = $2";
  static final String ACCOUNT =
      "select a1_0.client_id,a1_0.user_id,a1_0.balance,a1_0.created_at,a1_0.lifetime_burned,"
          + "a1_0.lifetime_earned,a1_0.pending,a1_0.updated_at from accounts a1_0"
          + " where (a1_0.client_id,a1_0.user_id) in (($1,$2))";
  static final String GIFTS =
      "select g1_0.id,g1_0.active,g1_0.client_id,g1_0.cost,g1_0.created_at,g1_0.description,"
          + "g1_0.ends_at,g1_0.image_url,g1_0.max_per_user,g1_0.name,g1_0.position,g1_0.starts_at,"
          + "g1_0.stock,g1_0.updated_at from gifts g1_0 where g1_0.client_id=$1"
          + " order by g1_0.position,g1_0.name";
  static final String CREDITS =
      "select count(*) from ledger_entries le1_0 where le1_0.client_id=$1 and le1_0.user_id=$2"
          + " and le1_0.points>0";
  static final String REDEMPTIONS =
      "select count(*) from redemptions r1_0 where r1_0.client_id=$1 and r1_0.user_id=$2";

  public static void main(String[] args) throws Exception {
    if (args.length != 12) {
      System.err.println(
          "usage: RawPgReads giftlist|userinfo CLIENT_ID USERS WARMUP_S DURATION_S POOL IN_FLIGHT"
              + " HOST PORT DB USER PASSWORD");
      System.exit(2);
    }
    String kind = args[0];
    String clientId = args[1];
    int users = Integer.parseInt(args[2]);
    int warmupS = Integer.parseInt(args[3]);
    int durationS = Integer.parseInt(args[4]);
    int poolSize = Integer.parseInt(args[5]);
    int inFlight = Integer.parseInt(args[6]);
    if (!kind.equals("giftlist") && !kind.equals("userinfo")) {
      throw new IllegalArgumentException("kind must be giftlist or userinfo: " + kind);
    }
    Vertx vertx = Vertx.vertx();
    Pool pool =
        PgPool.pool(
            vertx,
            new PgConnectOptions()
                .setHost(args[7])
                .setPort(Integer.parseInt(args[8]))
                .setDatabase(args[9])
                .setUser(args[10])
                .setPassword(args[11]),
            new PoolOptions().setMaxSize(poolSize));
    Run warmup = new Run(pool, kind, clientId, users, inFlight);
    warmup.go(warmupS);
    Run run = new Run(pool, kind, clientId, users, inFlight);
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    System.out.println("MEASURING");
    System.out.flush();
    long cpu0 = os.getProcessCpuTime();
    run.go(durationS);
    long cpu = os.getProcessCpuTime() - cpu0;
    pool.close();
    vertx.close();
    List<Long> lat = run.latencies;
    Collections.sort(lat);
    double seconds = run.elapsedNanos / 1e9;
    System.out.printf(
        "BENCH requests=%d rps=%.1f p50=%.2f p90=%.2f p99=%.2f max=%.2f errors=%d cpu_s=%.2f%n",
        lat.size(),
        lat.size() / seconds,
        pct(lat, 50),
        pct(lat, 90),
        pct(lat, 99),
        lat.isEmpty() ? 0 : lat.get(lat.size() - 1) / 1e6,
        run.errors.get(),
        cpu / 1e9);
    if (run.errors.get() > 0) {
      System.err.println("first error: " + run.firstError);
    }
  }

  static double pct(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(i, sorted.size() - 1))) / 1e6;
  }

  /** Reads every column of every row, as an entity load would. */
  static RowSet<Row> touch(RowSet<Row> rows) {
    for (Row row : rows) {
      for (int c = 0; c < row.size(); c++) {
        row.getValue(c);
      }
    }
    return rows;
  }

  static Future<RowSet<Row>> q(SqlClient client, String sql, Tuple args) {
    return client.preparedQuery(sql).execute(args).map(RawPgReads::touch);
  }

  static final class Run {
    final Pool pool;
    final String kind;
    final String clientId;
    final int users;
    final int inFlight;
    final List<Long> latencies = Collections.synchronizedList(new ArrayList<>(1 << 18));
    final AtomicLong errors = new AtomicLong();
    final AtomicLong next = new AtomicLong();
    final AtomicBoolean stop = new AtomicBoolean();
    volatile Throwable firstError;
    long elapsedNanos;

    Run(Pool pool, String kind, String clientId, int users, int inFlight) {
      this.pool = pool;
      this.kind = kind;
      this.clientId = clientId;
      this.users = users;
      this.inFlight = inFlight;
    }

    void go(int seconds) throws InterruptedException {
      CountDownLatch finished = new CountDownLatch(inFlight);
      long start = System.nanoTime();
      for (int i = 0; i < inFlight; i++) {
        loop(finished);
      }
      Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
      stop.set(true);
      elapsedNanos = System.nanoTime() - start;
      finished.await(30, TimeUnit.SECONDS);
    }

    void loop(CountDownLatch finished) {
      if (stop.get()) {
        finished.countDown();
        return;
      }
      String user = "bench-u-" + (next.getAndIncrement() % users + 1);
      long t0 = System.nanoTime();
      one(user)
          .onComplete(
              ar -> {
                if (ar.succeeded()) {
                  if (!stop.get()) {
                    latencies.add(System.nanoTime() - t0);
                  }
                } else {
                  errors.incrementAndGet();
                  if (firstError == null) {
                    firstError = ar.cause();
                  }
                }
                loop(finished);
              });
    }

    Future<?> one(String user) {
      Tuple cu = Tuple.of(clientId, user);
      if (kind.equals("giftlist")) {
        // User token: revocation of the user; then the session: account, gifts of the partner.
        return q(pool, REVOKED, cu)
            .compose(
                r ->
                    pool.withConnection(
                        c ->
                            q(c, ACCOUNT, cu).compose(a -> q(c, GIFTS, Tuple.of(clientId)))));
      }
      // Server token: revocation of the partner's server tokens ('*'); then account and counts.
      return q(pool, REVOKED, Tuple.of(clientId, "*"))
          .compose(
              r ->
                  pool.withConnection(
                      c ->
                          q(c, ACCOUNT, cu)
                              .compose(a -> q(c, CREDITS, cu))
                              .compose(x -> q(c, REDEMPTIONS, cu))));
    }
  }
}
