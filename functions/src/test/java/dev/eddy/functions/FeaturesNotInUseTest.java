package dev.eddy.functions;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ContinuousBackupsStatus;
import software.amazon.awssdk.services.dynamodb.model.ContributorInsightsStatus;
import software.amazon.awssdk.services.dynamodb.model.DescribeContinuousBackupsResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeEndpointsResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeLimitsResponse;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryStatus;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operations infrastructure tools call on every table, for features Eddy does not have (or
 * point-in-time recovery, which it cannot enable): each answers as DynamoDB answers for a table
 * that does not use the feature. Before, each was UnknownOperationException.
 */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class FeaturesNotInUseTest extends DynamoTestBase {

    @Test
    void continuousBackupsAreDisabledAndPointInTimeRecoveryCannotBeEnabled() {
        String table = createTable("pitr", "pk", ScalarAttributeType.S, null, null);
        String arn = dynamo.describeTable(b -> b.tableName(table)).table().tableArn();
        for (String name : new String[] {table, arn}) {
            DescribeContinuousBackupsResponse described = dynamo.describeContinuousBackups(b -> b.tableName(name));
            assertEquals(ContinuousBackupsStatus.DISABLED, described.continuousBackupsDescription().continuousBackupsStatus());
            assertEquals(PointInTimeRecoveryStatus.DISABLED, described.continuousBackupsDescription()
                    .pointInTimeRecoveryDescription().pointInTimeRecoveryStatus());
        }
        assertDynamoError("ContinuousBackupsUnavailableException", "Backups have not yet been enabled for this table.",
                () -> dynamo.updateContinuousBackups(b -> b.tableName(table)
                        .pointInTimeRecoverySpecification(s -> s.pointInTimeRecoveryEnabled(true))));
        assertEquals(PointInTimeRecoveryStatus.DISABLED, dynamo.updateContinuousBackups(b -> b.tableName(table)
                        .pointInTimeRecoverySpecification(s -> s.pointInTimeRecoveryEnabled(false)))
                .continuousBackupsDescription().pointInTimeRecoveryDescription().pointInTimeRecoveryStatus());
        assertDynamoError("TableNotFoundException", "Table not found: missing-table",
                () -> dynamo.describeContinuousBackups(b -> b.tableName("missing-table")));
        assertDynamoError("ValidationException", "1 validation error detected: Value null at "
                        + "'pointInTimeRecoverySpecification' failed to satisfy constraint: Member must not be null",
                () -> dynamo.updateContinuousBackups(b -> b.tableName(table)));
    }

    @Test
    void endpointsAndLimits() {
        DescribeEndpointsResponse endpoints = dynamo.describeEndpoints(b -> { });
        // Eddy's own address (eddy.public-endpoint; here its default, localhost and the configured
        // port: the packaged apps' tests check the port), not DynamoDB's regional one.
        assertTrue(endpoints.endpoints().get(0).address().startsWith("localhost:"), endpoints.toString());
        assertEquals(1440L, endpoints.endpoints().get(0).cachePeriodInMinutes());
        DescribeLimitsResponse limits = dynamo.describeLimits(b -> { });
        assertEquals(40000L, limits.tableMaxReadCapacityUnits());
        assertEquals(40000L, limits.tableMaxWriteCapacityUnits());
        assertEquals(80000L, limits.accountMaxReadCapacityUnits());
        assertEquals(80000L, limits.accountMaxWriteCapacityUnits());
    }

    @Test
    void featuresNotInUseOnATable() {
        String table = createTable("features", "pk", ScalarAttributeType.S, null, null);
        String arn = dynamo.describeTable(b -> b.tableName(table)).table().tableArn();
        assertEquals(ContributorInsightsStatus.DISABLED,
                dynamo.describeContributorInsights(b -> b.tableName(table)).contributorInsightsStatus());
        assertTrue(dynamo.listContributorInsights(b -> b.tableName(table)).contributorInsightsSummaries().isEmpty());
        assertTrue(dynamo.describeKinesisStreamingDestination(b -> b.tableName(table))
                .kinesisDataStreamDestinations().isEmpty());
        assertTrue(dynamo.listGlobalTables(b -> { }).globalTables().isEmpty());
        assertTrue(dynamo.listExports(b -> b.tableArn(arn)).exportSummaries().isEmpty());
        assertTrue(dynamo.listImports(b -> b.tableArn(arn)).importSummaryList().isEmpty());
        assertDynamoError("GlobalTableNotFoundException",
                "Global table not found: Global table with name: '" + table + "' does not exist.",
                () -> dynamo.describeGlobalTable(b -> b.globalTableName(table)));
        assertDynamoError("ResourceNotFoundException", "Global table with name: " + table + " does not exist.",
                () -> dynamo.describeTableReplicaAutoScaling(b -> b.tableName(table)));
        assertDynamoError("PolicyNotFoundException", "Resource-based policy not found for the provided ResourceArn: " + arn,
                () -> dynamo.getResourcePolicy(b -> b.resourceArn(arn)));
    }

    @Test
    void unknownTablesAndMalformedArns() {
        String table = createTable("features", "pk", ScalarAttributeType.S, null, null);
        String arn = dynamo.describeTable(b -> b.tableName(table)).table().tableArn();
        String notFound = "Requested resource not found: Table: missing-table not found";
        assertDynamoError("ResourceNotFoundException", notFound,
                () -> dynamo.describeContributorInsights(b -> b.tableName("missing-table")));
        assertDynamoError("ResourceNotFoundException", notFound,
                () -> dynamo.describeKinesisStreamingDestination(b -> b.tableName("missing-table")));
        assertDynamoError("ResourceNotFoundException", notFound,
                () -> dynamo.getResourcePolicy(b -> b.resourceArn(arn.replace(table, "missing-table"))));
        assertDynamoError("ValidationException",
                "One or more parameter values were invalid: ARNs must start with 'arn:': " + table,
                () -> dynamo.getResourcePolicy(b -> b.resourceArn(table)));
        assertDynamoError("ValidationException", "One or more parameter values were invalid: Invalid resource arn "
                        + "provided, only table or stream is accepted. Provided resource arn: " + arn + "/index/gsi",
                () -> dynamo.getResourcePolicy(b -> b.resourceArn(arn + "/index/gsi")));
    }
}
