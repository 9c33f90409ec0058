package com.rewards.loyalty.domain;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ProgramRepository implements PanacheRepositoryBase<Program, String> {}
