package com.rewards.referral.rest;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On an open endpoint: a client JWT is valid only for the user it names. The path's {@code
 * accountId}/{@code userId} and the query's {@code referringAccountId}/{@code referringUserId},
 * where present, must be the token's user (else 403); an API key may name any user of its partner.
 * Enforced by {@link TokenUserFilter}; who may call at all is the method's {@code @RolesAllowed}.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface TokenUserOnly {}
