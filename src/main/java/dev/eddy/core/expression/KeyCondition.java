package dev.eddy.core.expression;

import dev.eddy.core.error.Errors;
import dev.eddy.core.model.AttributeValue;
import java.util.ArrayList;
import java.util.List;

/**
 * A KeyConditionExpression checked against a key schema (Developer Guide, "Key condition
 * expressions"): {@code =} on the partition key, and at most one condition on the sort key with
 * {@code = < <= > >=}, BETWEEN or begins_with, joined by AND. Query walks the collection with it.
 *
 * @param sortKey the sort key condition, or null when there is none
 */
public record KeyCondition(String partitionKey, AttributeValue partitionValue, SortKey sortKey) {

    /** The key attributes a query addresses (the table's or an index's), with their types S, N or B. */
    public record Schema(String partitionKey, String partitionType, String sortKey, String sortType) {
    }

    /**
     * @param operator EQ, LT, LE, GT, GE, BETWEEN or BEGINS_WITH, with the key on the left
     * @param second   the upper bound of BETWEEN, else null
     */
    public record SortKey(String attribute, String operator, AttributeValue first, AttributeValue second) {
        public boolean matches(AttributeValue key) {
            if (key == null) {
                return false;
            }
            if (operator.equals("BEGINS_WITH")) {
                return Values.beginsWith(key, first);
            }
            int c = Values.compare(key, first);
            return switch (operator) {
                case "EQ" -> c == 0;
                case "LT" -> c < 0;
                case "LE" -> c <= 0;
                case "GT" -> c > 0;
                case "GE" -> c >= 0;
                default -> c >= 0 && Values.compare(key, second) <= 0;
            };
        }
    }

    /** One condition on one key attribute, as written: which attribute, how, against what. */
    private record Part(String attribute, String operator, AttributeValue first, AttributeValue second) {
    }

    static KeyCondition of(Condition condition, Schema schema) {
        List<Condition> parts = new ArrayList<>();
        flatten(condition, parts);
        Part partition = null;
        Part sort = null;
        boolean other = false;
        for (Condition c : parts) {
            Part part = part(c);
            if (part.attribute.equals(schema.partitionKey())) {
                if (partition != null) {
                    throw Errors.keyConditionOnePerKey();
                }
                partition = part;
            } else if (schema.sortKey() != null && part.attribute.equals(schema.sortKey())) {
                if (sort != null) {
                    throw Errors.keyConditionOnePerKey();
                }
                sort = part;
            } else if (schema.sortKey() == null) {
                throw Errors.keyConditionNotSupported();
            } else {
                other = true;
            }
        }
        // DynamoDB names the key it misses: the partition key first, else the sort key that a
        // condition on another attribute stands in for.
        if (partition == null) {
            throw Errors.keyConditionMissedKey(schema.partitionKey());
        }
        if (other) {
            throw Errors.keyConditionMissedKey(schema.sortKey());
        }
        if (!partition.operator.equals("EQ")) {
            throw Errors.keyConditionNotSupported();
        }
        checkValue(schema.partitionKey(), schema.partitionType(), partition.first);
        if (sort == null) {
            return new KeyCondition(partition.attribute, partition.first, null);
        }
        checkValue(schema.sortKey(), schema.sortType(), sort.first);
        if (sort.second != null) {
            checkValue(schema.sortKey(), schema.sortType(), sort.second);
        }
        return new KeyCondition(partition.attribute, partition.first,
                new SortKey(sort.attribute, sort.operator, sort.first, sort.second));
    }

    /** Only AND joins key conditions; everything else a condition may say is refused by name. */
    private static void flatten(Condition c, List<Condition> out) {
        if (c instanceof Condition.And and) {
            flatten(and.left(), out);
            flatten(and.right(), out);
        } else if (c instanceof Condition.Or) {
            throw Errors.keyConditionOperator("OR");
        } else if (c instanceof Condition.Not) {
            throw Errors.keyConditionOperator("NOT");
        } else if (c instanceof Condition.In) {
            throw Errors.keyConditionOperator("IN");
        } else if (c instanceof Condition.Comparison cmp && cmp.comparator() == Condition.Comparator.NE) {
            throw Errors.keyConditionOperator("<>");
        } else if (c instanceof Condition.AttributeExists e) {
            throw Errors.keyConditionOperator(e.exists() ? "attribute_exists" : "attribute_not_exists");
        } else if (c instanceof Condition.AttributeType) {
            throw Errors.keyConditionOperator("attribute_type");
        } else if (c instanceof Condition.Contains) {
            throw Errors.keyConditionOperator("contains");
        } else {
            out.add(c);
        }
    }

    private static Part part(Condition c) {
        List<Operand> operands;
        if (c instanceof Condition.Comparison cmp) {
            operands = List.of(cmp.left(), cmp.right());
        } else if (c instanceof Condition.Between b) {
            operands = List.of(b.operand(), b.lower(), b.upper());
        } else {
            Condition.BeginsWith bw = (Condition.BeginsWith) c;
            operands = List.of(bw.operand(), bw.prefix());
        }
        DocumentPath key = null;
        for (Operand o : operands) {
            if (o instanceof Operand.Size) {
                throw Errors.keyConditionNested();
            }
            if (o instanceof Operand.Path p) {
                if (key != null) {
                    throw Errors.keyConditionMultipleNames();
                }
                key = p.path();
            }
        }
        if (key == null) {
            throw Errors.keyConditionNoKey();
        }
        if (!(operands.get(0) instanceof Operand.Path)) {
            if (c instanceof Condition.Between) {
                throw Errors.keyConditionKeyFirst("BETWEEN");
            }
            if (c instanceof Condition.BeginsWith) {
                throw Errors.keyConditionKeyFirst("begins_with");
            }
        }
        if (!key.isTopLevel()) {
            throw Errors.keyConditionNestedKey(key.attribute());
        }
        if (c instanceof Condition.Between b) {
            return new Part(key.attribute(), "BETWEEN", value(b.lower()), value(b.upper()));
        }
        if (c instanceof Condition.BeginsWith bw) {
            return new Part(key.attribute(), "BEGINS_WITH", value(bw.prefix()), null);
        }
        Condition.Comparison cmp = (Condition.Comparison) c;
        boolean keyLeft = cmp.left() instanceof Operand.Path;
        Condition.Comparator op = keyLeft ? cmp.comparator() : cmp.comparator().flipped();
        return new Part(key.attribute(), op.name(), value(keyLeft ? cmp.right() : cmp.left()), null);
    }

    private static AttributeValue value(Operand o) {
        return ((Operand.Value) o).value();
    }

    private static void checkValue(String name, String type, AttributeValue v) {
        if (!v.type().name().equals(type)) {
            throw Errors.keyConditionType();
        }
        if (v.type() == AttributeValue.Type.S && v.s().isEmpty()) {
            throw Errors.emptyKeyValue(name, "string", true);
        }
        if (v.type() == AttributeValue.Type.B && v.b().length == 0) {
            throw Errors.emptyKeyValue(name, "binary", true);
        }
    }
}
