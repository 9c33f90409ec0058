package com.rewards.auth;

import com.rewards.platform.testing.ForeignKeyIndexes;
import io.quarkus.test.junit.QuarkusTest;

/** The check runs against this service's migrated database. */
@QuarkusTest
class ForeignKeyIndexTest extends ForeignKeyIndexes {}
