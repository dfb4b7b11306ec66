package dev.eddy.functions.bench.jmh;

import dev.eddy.core.expression.Condition;
import dev.eddy.core.expression.Expressions;
import dev.eddy.core.expression.Placeholders;
import dev.eddy.core.expression.Projection;
import dev.eddy.core.expression.Update;
import dev.eddy.core.model.AttributeValue;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The expression languages ({@link Expressions}): parsing (tokens, syntax, checks against the
 * placeholders, as every request does once per expression) and evaluating the result on an item:
 * a condition, an update with arithmetic, if_not_exists and a set ADD, and a projection.
 */
@State(Scope.Benchmark)
public class ExpressionBenchmark extends Microbenchmark {
    private static final String CONDITION =
            "attribute_exists(#k) AND #count < :max AND (begins_with(address.#city, :prefix) OR contains(#tags, :tag))";
    private static final String UPDATE =
            "SET #count = #count + :one, #seen = if_not_exists(#seen, :now), #city = :city ADD #tags :more REMOVE #note";
    private static final String PROJECTION = "#k, #count, address.#city, history[1], #tags";
    /** One request's ExpressionAttributeNames; unused ones are only refused by checkAllUsed, not called here. */
    private static final Map<String, String> NAMES = Map.of("#k", "ycsb_key", "#count", "count", "#city", "city",
            "#tags", "tags", "#seen", "seen", "#note", "note");
    private static final Map<String, AttributeValue> CONDITION_VALUES = Map.of(":max", AttributeValue.n("100"),
            ":prefix", AttributeValue.s("Spring"), ":tag", AttributeValue.s("green"));
    private static final Map<String, AttributeValue> UPDATE_VALUES = Map.of(":one", AttributeValue.n("1"),
            ":now", AttributeValue.n("1700000000"), ":city", AttributeValue.s("Shelbyville"),
            ":more", AttributeValue.ss(List.of("yellow")));

    private Map<String, AttributeValue> item;
    private Condition condition;
    private Update update;
    private Projection projection;

    @Setup
    public void setUp() {
        item = BenchItems.mixed("user1234");
        condition = parseCondition();
        update = parseUpdate();
        projection = parseProjection();
        if (!condition.matches(item)) {
            throw new IllegalStateException("the benchmark condition should hold for its item");
        }
    }

    @Benchmark
    public Condition parseCondition() {
        return Expressions.condition(CONDITION, Placeholders.of(NAMES, CONDITION_VALUES));
    }

    @Benchmark
    public Update parseUpdate() {
        return Expressions.update(UPDATE, Placeholders.of(NAMES, UPDATE_VALUES));
    }

    @Benchmark
    public Projection parseProjection() {
        return Expressions.projection(PROJECTION, Placeholders.of(NAMES, null));
    }

    @Benchmark
    public boolean evaluateCondition() {
        return condition.matches(item);
    }

    @Benchmark
    public Map<String, AttributeValue> applyUpdate() {
        return update.apply(item);
    }

    @Benchmark
    public Map<String, AttributeValue> applyProjection() {
        return projection.project(item);
    }
}
