package com.rewards.auth.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.rewards.auth.domain.User;
import java.time.Instant;

/** The user as its owner (or its partner's server) sees it; never the password hash. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UserView(
    String id,
    String username,
    String email,
    String phone,
    String firstName,
    String lastName,
    JsonNode info,
    boolean hasPassword,
    Instant createdAt,
    Instant updatedAt) {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  public static UserView of(User user) {
    return new UserView(
        user.externalId,
        user.username,
        user.email,
        user.phone,
        user.firstName,
        user.lastName,
        parse(user.info),
        user.passwordHash != null,
        user.createdAt,
        user.updatedAt);
  }

  private static JsonNode parse(String info) {
    try {
      return info == null ? null : MAPPER.readTree(info);
    } catch (Exception e) {
      return null;
    }
  }
}
