package com.rewards.auth.event;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * A one-time code to deliver by email or SMS, on {@code auth.otp-deliveries.v1}: the local delivery
 * port. The code must travel to its sender somehow; this topic is readable by the notifier only.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record OtpDeliveryEvent(
    String clientId,
    String userId,
    String channel,
    String destination,
    String code,
    Instant expiresAt) {}
