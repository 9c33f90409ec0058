package com.rewards.payment;

import com.rewards.platform.testing.ForeignKeyIndexes;
import com.rewards.platform.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The check runs against this service's migrated database. */
@QuarkusTest
@QuarkusTestResource(FakeStripe.class)
@QuarkusTestResource(TestTokens.class)
class ForeignKeyIndexTest extends ForeignKeyIndexes {}
