package dev.eddy.core.expression;

import java.util.ArrayList;
import java.util.List;

/** The document paths a condition reads, in the order they appear: what key and projection rules are checked on. */
public final class ConditionPaths {
    private ConditionPaths() {
    }

    public static List<DocumentPath> of(Condition condition) {
        List<DocumentPath> paths = new ArrayList<>();
        if (condition != null) {
            collect(condition, paths);
        }
        return paths;
    }

    private static void collect(Condition c, List<DocumentPath> out) {
        if (c instanceof Condition.Comparison x) {
            operands(out, x.left(), x.right());
        } else if (c instanceof Condition.Between x) {
            operands(out, x.operand(), x.lower(), x.upper());
        } else if (c instanceof Condition.In x) {
            operands(out, x.operand());
            x.candidates().forEach(o -> operands(out, o));
        } else if (c instanceof Condition.And x) {
            collect(x.left(), out);
            collect(x.right(), out);
        } else if (c instanceof Condition.Or x) {
            collect(x.left(), out);
            collect(x.right(), out);
        } else if (c instanceof Condition.Not x) {
            collect(x.operand(), out);
        } else if (c instanceof Condition.AttributeExists x) {
            out.add(x.path());
        } else if (c instanceof Condition.AttributeType x) {
            operands(out, x.operand(), x.type());
        } else if (c instanceof Condition.BeginsWith x) {
            operands(out, x.operand(), x.prefix());
        } else if (c instanceof Condition.Contains x) {
            operands(out, x.operand(), x.member());
        } else {
            throw new IllegalArgumentException("unknown condition " + c.getClass());
        }
    }

    private static void operands(List<DocumentPath> out, Operand... operands) {
        for (Operand o : operands) {
            if (o instanceof Operand.Path p) {
                out.add(p.path());
            } else if (o instanceof Operand.Size s) {
                operands(out, s.of());
            } else if (o instanceof Operand.IfNotExists f) {
                out.add(f.path());
                operands(out, f.fallback());
            } else if (o instanceof Operand.ListAppend l) {
                operands(out, l.first(), l.second());
            } else if (o instanceof Operand.Arithmetic a) {
                operands(out, a.left(), a.right());
            }
        }
    }
}
