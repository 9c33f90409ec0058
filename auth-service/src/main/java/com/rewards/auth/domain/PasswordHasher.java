package com.rewards.auth.domain;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.wildfly.security.password.Password;
import org.wildfly.security.password.PasswordFactory;
import org.wildfly.security.password.WildFlyElytronPasswordProvider;
import org.wildfly.security.password.interfaces.BCryptPassword;
import org.wildfly.security.password.util.ModularCrypt;

/**
 * bcrypt (cost 12) for user passwords. Hashing takes tens of milliseconds on purpose, so it runs on
 * a worker thread and resumes on the caller's Vert.x context (where its reactive session lives).
 */
@ApplicationScoped
public class PasswordHasher {
  private static final int COST = 12;
  private final Vertx vertx;

  public PasswordHasher(Vertx vertx) {
    this.vertx = vertx;
  }

  public Uni<String> hash(String password) {
    return vertx.executeBlocking(
        Uni.createFrom().item(() -> BcryptUtil.bcryptHash(password, COST)));
  }

  public Uni<Boolean> matches(String password, String hash) {
    if (password == null || hash == null) {
      return Uni.createFrom().item(false);
    }
    return vertx.executeBlocking(Uni.createFrom().item(() -> verify(password, hash)));
  }

  private static boolean verify(String password, String hash) {
    try {
      Password stored = ModularCrypt.decode(hash);
      PasswordFactory factory =
          PasswordFactory.getInstance(
              BCryptPassword.ALGORITHM_BCRYPT, WildFlyElytronPasswordProvider.getInstance());
      return factory.verify(factory.translate(stored), password.toCharArray());
    } catch (Exception e) {
      return false;
    }
  }
}
