package dev.relay.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** An indented tree of lines, drawn with {@code ├─ └─ │}. */
final class Tree {

    private final String label;
    private final List<Tree> children = new ArrayList<>();

    Tree(String label) {
        this.label = label;
    }

    /** Adds a child and returns it. */
    Tree add(String childLabel) {
        Tree child = new Tree(childLabel);
        children.add(child);
        return child;
    }

    Tree add(Tree child) {
        children.add(child);
        return child;
    }

    void print(PrintWriter out) {
        out.println(label);
        printChildren(out, "");
    }

    private void printChildren(PrintWriter out, String indent) {
        for (int i = 0; i < children.size(); i++) {
            boolean last = i == children.size() - 1;
            Tree child = children.get(i);
            out.println(indent + (last ? "└─ " : "├─ ") + child.label);
            child.printChildren(out, indent + (last ? "   " : "│  "));
        }
    }
}
