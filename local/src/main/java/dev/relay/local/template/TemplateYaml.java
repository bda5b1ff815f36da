package dev.relay.local.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.ConstructorException;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Parses template YAML, turning CloudFormation short-form tags ({@code !Ref}, {@code !Sub}, ...) into their long form. */
final class TemplateYaml {

    /** Short tag to long-form key, as CloudFormation defines them. */
    static final Map<String, String> SHORT_FORMS = shortForms();

    private TemplateYaml() {
    }

    private static Map<String, String> shortForms() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("!Ref", "Ref");
        tags.put("!Condition", "Condition");
        for (String fn : List.of("GetAtt", "Sub", "Join", "Select", "Split", "If", "Equals", "Not", "And", "Or",
                "FindInMap", "Base64", "GetAZs", "ImportValue", "Cidr", "Length", "ToJsonString", "Transform")) {
            tags.put("!" + fn, "Fn::" + fn);
        }
        return Map.copyOf(tags);
    }

    /** Returns plain maps, lists, strings, numbers and booleans; map order is the template's. */
    static Object parse(String text, String source) throws TemplateException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(200);
        try {
            return new Yaml(new ShortFormConstructor(options)).load(text);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = mark == null ? source : source + ": line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
            String problem = e.getProblem() != null ? e.getProblem().strip() : e.getMessage();
            throw new TemplateException(where, "YAML: " + problem, e);
        } catch (YAMLException e) {
            throw new TemplateException(source, "YAML: " + e.getMessage(), e);
        }
    }

    private static final class TagProblem extends ConstructorException {
        private static final long serialVersionUID = 1L;

        TagProblem(String problem, Mark mark) {
            super(null, null, problem, mark);
        }
    }

    private static final class ShortFormConstructor extends SafeConstructor {

        ShortFormConstructor(LoaderOptions options) {
            super(options);
            SHORT_FORMS.forEach((tag, longForm) -> yamlConstructors.put(new Tag(tag), new LongForm(longForm)));
            // CloudFormation has no date type: an unquoted 2010-09-09 stays a string.
            yamlConstructors.put(Tag.TIMESTAMP, yamlConstructors.get(Tag.STR));
            yamlConstructors.put(null, new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    throw new TagProblem(
                            "unknown tag '" + node.getTag().getValue() + "'; CloudFormation short forms are "
                                    + SHORT_FORMS.keySet().stream().sorted().toList(),
                            node.getStartMark());
                }
            });
        }

        private final class LongForm extends AbstractConstruct {
            private final String key;

            LongForm(String key) {
                this.key = key;
            }

            @Override
            public Object construct(Node node) {
                Object value = switch (node) {
                    case ScalarNode scalar -> constructScalar(scalar);
                    case SequenceNode sequence -> new ArrayList<>(constructSequence(sequence));
                    case MappingNode mapping -> constructMapping(mapping);
                    default -> throw new TagProblem("unexpected node for " + node.getTag().getValue(), node.getStartMark());
                };
                if (key.equals("Fn::GetAtt") && value instanceof String dotted) {
                    // !GetAtt Resource.Attr.Part: the resource is before the first dot, the attribute is the rest.
                    int dot = dotted.indexOf('.');
                    if (dot < 0) {
                        throw new TagProblem(
                                "!GetAtt '" + dotted + "' must be LogicalId.Attribute", node.getStartMark());
                    }
                    value = new ArrayList<>(List.of(dotted.substring(0, dot), dotted.substring(dot + 1)));
                }
                Map<Object, Object> longForm = new LinkedHashMap<>();
                longForm.put(key, value);
                return longForm;
            }
        }
    }
}
