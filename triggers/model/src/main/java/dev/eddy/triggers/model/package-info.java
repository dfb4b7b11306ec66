/**
 * What a trigger function codes against: the batch it receives ({@link DynamodbEvent}, shaped like
 * the event AWS Lambda passes to a DynamoDB Streams trigger) and the answer it may give
 * ({@link StreamsEventResponse}, Lambda's partial batch response). Field names on the wire are
 * DynamoDB Streams' own ({@code Records}, {@code dynamodb}, {@code NewImage}, ...), so code written
 * for Lambda's DynamoDB events reads the same JSON.
 */
package dev.eddy.triggers.model;
