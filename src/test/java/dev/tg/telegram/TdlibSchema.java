package dev.tg.telegram;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TDLib's API as {@code tdlib-types.d.ts} of the installed library states it (tdl's TypeScript rendering of
 * {@code td_api.tl}), and a check of JSON against it: requests we send, objects TDLib emits.
 *
 * <p>What the file says, and how it is read here:
 * <ul>
 *   <li>Each constructor and function is {@code export type name = { _: 'name', field: Type, ... }}. Objects TDLib
 *       emits have plain fields; inputs ({@code name$Input}) and functions ({@code readonly}) have only optional
 *       {@code readonly x?:} fields, since TDLib fills in defaults for what a request leaves out. Abstract classes are
 *       unions ({@code ChatList = | chatListMain | ...}, {@code ChatList$Input}), classes of one constructor are
 *       aliases ({@code Error = error}); {@code $Function} lists the functions, {@code $FunctionResultByName} what
 *       each returns.
 *   <li>Field types: {@code number} for int32, int53 and double alike, so the file cannot tell an integer field
 *       from a double one and a number field takes any JSON number; {@code string} for string, and for int64 in
 *       emitted objects; {@code string} with a comment {@code base64} for bytes (checked as TDLib decodes them);
 *       {@code number | string} for int64 in inputs (we require a JSON string of an integer, TDLib's documented
 *       encoding); {@code boolean}; arrays {@code Array<T>} and {@code ReadonlyArray<T>}, nested;
 *       {@code Array<message | null>} where elements may be null (only {@code messages} and
 *       {@code quickReplyMessages}); names of constructors and unions.
 *   <li>In emitted objects only object-valued fields are optional, exactly those documented "may be null". TDLib
 *       prints every field of an object and leaves out only null object fields (the {@code to_json} that
 *       {@code td/generate/tl_json_converter.cpp} generates wraps just those in {@code if (object.field)}), so a
 *       field without {@code ?} that is missing is a violation. Example: {@code message.reply_to?: MessageReplyTo}
 *       ("may be null") but {@code message.content: MessageContent}.
 * </ul>
 *
 * <p>The check is stricter than TDLib's own parser ({@code td/tl/tl_json.h}), which ignores unknown fields, takes
 * integers given as strings and booleans given as numbers, and ignores {@code @type} of a nested object whose class
 * has one constructor: we hold our JSON to the documented form, where TDLib would silently take a misspelt field as
 * its default. It is weaker in one respect: TDLib refuses a fraction for an int32 or int53 field, which the file
 * does not tell from a double.
 *
 * <p>{@code @type}, {@code @extra} (any JSON) and {@code @client_id} (a number) are allowed on every object. An
 * object of a shape ({@link #shapeOf}) found conforming before is not checked again, one with violations every
 * time. Thread-safe.
 */
public final class TdlibSchema {

  /** One way a JSON value breaks the schema, at a path such as {@code updateNewMessage.message.content}. */
  public record Violation(String path, String problem) {
    /** Without array indices and offending values: the same violation in many values has one key. */
    public String key() {
      return path.replaceAll("\\[\\d+]", "[]") + ": "
          + problem.replaceAll(", got (string|number|boolean) .*", ", got $1");
    }

    @Override
    public String toString() {
      return path + ": " + problem;
    }
  }

  private static final Pattern VERSION_LINE = Pattern.compile("// Types for TDLib v(\\S+) \\(([0-9a-f]{40})\\)");
  private static final Pattern BLOCK_START = Pattern.compile(" {2}export type (\\S+) = \\{");
  private static final Pattern FIELD = Pattern.compile(" {4}(readonly )?(\\w+)(\\??): (.+),");
  private static final Pattern UNION_START = Pattern.compile(" {2}export type (\\S+) =");
  private static final Pattern UNION_MEMBER = Pattern.compile(" {4}\\| (\\S+)");
  private static final Pattern ALIAS = Pattern.compile(" {2}export type (\\S+) = ([\\w$]+)");
  private static final Pattern ARRAY = Pattern.compile("(?:Readonly)?Array<(.+)>");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_$][\\w$]*");
  private static final String INPUT = "$Input";
  private static final Set<String> META = Set.of("@type", "@extra", "@client_id");
  private static final int MAX_CACHED_SHAPES = 10_000;

  private sealed interface Type permits Scalar, Ref, ArrayOf {}

  private enum Scalar implements Type {
    NUMBER("number"), STRING("string"), BYTES("a base64 string"), INT64("int64 as a string"), BOOLEAN("boolean");

    final String expected;

    Scalar(String expected) {
      this.expected = expected;
    }
  }

  /** A named type: the constructors allowed there, looked up among inputs or emitted objects. */
  private record Ref(String name, Set<String> allowed, boolean input) implements Type {
    String expected() {
      if (allowed.size() == 1) {
        return allowed.iterator().next();
      }
      return name + " (" + (allowed.size() <= 6 ? String.join(", ", allowed) : allowed.size() + " types") + ")";
    }
  }

  private record ArrayOf(Type element, boolean nullElements) implements Type {}

  private record Field(String name, Type type, boolean optional) {}

  private record Constructor(String name, Map<String, Field> fields) {}

  /** A constructor or function as the file states it, its field types still text. */
  private record Block(String name, boolean readonly, Map<String, RawField> fields) {}

  private record RawField(String type, boolean optional) {}

  private final String version;
  private final String commit;
  private final Map<String, Constructor> functions = new HashMap<>();
  private final Map<String, Constructor> inputs = new HashMap<>();
  private final Map<String, Constructor> outputs = new HashMap<>();
  private final Map<String, Ref> results = new HashMap<>();
  private final Set<String> conformingShapes = ConcurrentHashMap.newKeySet();

  // filled here and only read afterwards: final fields make the schema safe to share with other threads
  private TdlibSchema(String version, String commit, List<String> lines, Path dts) {
    this.version = version;
    this.commit = commit;
    read(lines, dts);
  }

  /** Reads {@code tdlib-types.d.ts}; a field or type in a form this reader does not know is an error. */
  public static TdlibSchema load(Path dts) {
    List<String> lines;
    try {
      lines = Files.readAllLines(dts);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read TDLib's schema " + dts, e);
    }
    Matcher first = VERSION_LINE.matcher(lines.isEmpty() ? "" : lines.get(0));
    if (!first.matches()) {
      throw new IllegalStateException(dts + " does not start with the TDLib version line");
    }
    return new TdlibSchema(first.group(1), first.group(2), lines, dts);
  }

  /** The TDLib version the file was generated for, such as {@code 1.8.65}. */
  public String version() {
    return version;
  }

  /** The TDLib commit the file was generated from. */
  public String commit() {
    return commit;
  }

  /** What is wrong with a request (empty: it conforms): a known function with known fields of the right kinds. */
  public List<Violation> checkRequest(JsonNode request) {
    return checkTop(request, functions, "request", "unknown function", "not a function");
  }

  /** What is wrong with an object TDLib emits, an answer or an update; required fields included. */
  public List<Violation> checkObject(JsonNode object) {
    return checkTop(object, outputs, "object", "unknown type", "not an object TDLib emits");
  }

  /** {@link #checkObject}, and that the answer is an {@code error} or what {@code function} returns. */
  public List<Violation> checkAnswer(String function, JsonNode answer) {
    List<Violation> found = new ArrayList<>(checkObject(answer));
    Ref result = results.get(function);
    String type = answer.path("@type").asText();
    if (result != null && !type.equals("error") && !result.allowed().contains(type)) {
      found.add(new Violation("answer to " + function, "expected " + result.expected() + " or error, got " + type));
    }
    return found;
  }

  /**
   * The structure of a JSON value, all the check looks at: field names, {@code @type} values, JSON kinds, whether
   * a string is a canonical int64 or canonical base64, arrays as the set of their elements' shapes; not
   * {@code @extra}. Values of one shape conform alike.
   */
  public static String shapeOf(JsonNode node) {
    StringBuilder shape = new StringBuilder();
    appendShape(node, shape);
    return shape.toString();
  }

  private static void appendShape(JsonNode node, StringBuilder shape) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        shape.append('{');
        node.properties().forEach(field -> {
          if (field.getKey().equals("@extra")) {
            return;
          }
          shape.append('"').append(JsonStringEncoder.getInstance().quoteAsString(field.getKey())).append("\":");
          if (field.getKey().equals("@type") && field.getValue().isTextual()) {
            shape.append('"').append(JsonStringEncoder.getInstance().quoteAsString(field.getValue().asText()))
                .append('"');
          } else {
            appendShape(field.getValue(), shape);
          }
          shape.append(',');
        });
        shape.append('}');
      }
      case ARRAY -> {
        Set<String> elements = new TreeSet<>();
        node.forEach(element -> elements.add(shapeOf(element)));
        shape.append('[').append(String.join("|", elements)).append(']');
      }
      case STRING -> shape.append('s')
          .append(isInt64(node.asText()) ? "i" : "")
          .append(isBase64(node.asText()) ? "b" : "");
      case NUMBER -> shape.append('n');
      case BOOLEAN -> shape.append('t');
      case NULL -> shape.append('z');
      default -> shape.append('?');
    }
  }

  private List<Violation> checkTop(
      JsonNode node, Map<String, Constructor> kind, String unnamed, String unknown, String notOfKind) {
    String shape = unnamed + shapeOf(node);
    if (conformingShapes.contains(shape)) {
      return List.of();
    }
    List<Violation> found = new ArrayList<>();
    JsonNode type = node.path("@type");
    if (!node.isObject()) {
      found.add(new Violation(unnamed, "expected an object, got " + describe(node)));
    } else if (!type.isTextual()) {
      found.add(new Violation(unnamed, type.isMissingNode() ? "missing @type" : "@type is not a string"));
    } else if (!kind.containsKey(type.asText())) {
      found.add(new Violation(type.asText(), isKnown(type.asText()) ? notOfKind : unknown));
    } else {
      checkFields(node, kind.get(type.asText()), type.asText(), found);
    }
    if (found.isEmpty() && conformingShapes.size() < MAX_CACHED_SHAPES) {
      conformingShapes.add(shape);
    }
    return found;
  }

  private void checkFields(JsonNode object, Constructor constructor, String path, List<Violation> found) {
    object.properties().forEach(entry -> {
      String name = entry.getKey();
      JsonNode value = entry.getValue();
      Field field = constructor.fields().get(name);
      if (META.contains(name)) {
        if (name.equals("@client_id") && !value.isNumber()) {
          found.add(new Violation(path + "." + name, "expected number, got " + describe(value)));
        }
      } else if (field == null) {
        found.add(new Violation(path + "." + name, "unknown field"));
      } else if (value.isNull()) {
        if (!field.optional()) {
          found.add(new Violation(path + "." + name, "expected " + expected(field.type()) + ", got null"));
        }
      } else {
        checkValue(value, field.type(), path + "." + name, found);
      }
    });
    constructor.fields().values().stream()
        .filter(field -> !field.optional() && !object.has(field.name()))
        .forEach(field -> found.add(new Violation(path + "." + field.name(), "missing required field")));
  }

  private void checkValue(JsonNode value, Type type, String path, List<Violation> found) {
    boolean conforms;
    if (type instanceof Scalar scalar) {
      conforms = switch (scalar) {
        case NUMBER -> value.isNumber();
        case STRING -> value.isTextual();
        case BYTES -> value.isTextual() && isBase64(value.asText());
        case INT64 -> value.isTextual() && isInt64(value.asText());
        case BOOLEAN -> value.isBoolean();
      };
    } else if (type instanceof ArrayOf array) {
      conforms = value.isArray();
      for (int i = 0; conforms && i < value.size(); i++) {
        JsonNode element = value.get(i);
        if (!element.isNull()) {
          checkValue(element, array.element(), path + "[" + i + "]", found);
        } else if (!array.nullElements()) {
          found.add(new Violation(path + "[" + i + "]", "expected " + expected(array.element()) + ", got null"));
        }
      }
    } else {
      conforms = value.isObject();
      if (conforms) {
        checkNested(value, (Ref) type, path, found);
      }
    }
    if (!conforms) {
      found.add(new Violation(path, "expected " + expected(type) + ", got " + describe(value)));
    }
  }

  private void checkNested(JsonNode object, Ref ref, String path, List<Violation> found) {
    JsonNode type = object.path("@type");
    if (!type.isTextual()) {
      found.add(new Violation(path, type.isMissingNode() ? "missing @type" : "@type is not a string"));
    } else if (ref.allowed().contains(type.asText())) {
      checkFields(object, (ref.input() ? inputs : outputs).get(type.asText()), path, found);
    } else if (isKnown(type.asText())) {
      found.add(new Violation(path, "expected " + ref.expected() + ", got " + type.asText()));
    } else {
      found.add(new Violation(path, "unknown type " + type.asText()));
    }
  }

  private boolean isKnown(String type) {
    return outputs.containsKey(type) || inputs.containsKey(type) || functions.containsKey(type);
  }

  private static String expected(Type type) {
    if (type instanceof Scalar scalar) {
      return scalar.expected;
    }
    return type instanceof ArrayOf array ? "array of " + expected(array.element()) : ((Ref) type).expected();
  }

  private static String describe(JsonNode value) {
    return switch (value.getNodeType()) {
      case STRING -> "string " + abbreviate(value.toString());
      case NUMBER -> "number " + value;
      case BOOLEAN -> "boolean " + value;
      case OBJECT -> value.path("@type").isTextual() ? "object " + value.path("@type").asText() : "object";
      case ARRAY -> "array";
      case NULL -> "null";
      default -> value.getNodeType().toString();
    };
  }

  private static String abbreviate(String text) {
    return text.length() <= 42 ? text : text.substring(0, 40) + "…\"";
  }

  /** TDLib's int64 from a string: {@code to_integer_safe}, which takes only the canonical decimal form. */
  private static boolean isInt64(String text) {
    if (text.isEmpty() || text.length() > 20) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!(c >= '0' && c <= '9' || c == '-' && i == 0)) {
        return false;
      }
    }
    try {
      return Long.toString(Long.parseLong(text)).equals(text);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** TDLib's {@code base64_decode}: the standard alphabet, padded, no stray bits, which is the canonical form. */
  private static boolean isBase64(String text) {
    if (text.length() % 4 != 0) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/'
          || c == '=')) {
        return false;
      }
    }
    try {
      return Base64.getEncoder().encodeToString(Base64.getDecoder().decode(text)).equals(text);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  // --- reading the file

  private void read(List<String> lines, Path dts) {
    Map<String, Block> blocks = new LinkedHashMap<>();
    Map<String, List<String>> unions = new HashMap<>();
    Map<String, String> resultNames = new LinkedHashMap<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      Matcher block = BLOCK_START.matcher(line);
      Matcher union = UNION_START.matcher(line);
      Matcher alias = ALIAS.matcher(line);
      if (block.matches()) {
        Map<String, RawField> fields = new LinkedHashMap<>();
        boolean readonly = false;
        for (i++; !lines.get(i).equals("  }"); i++) {
          String fieldLine = lines.get(i);
          if (isComment(fieldLine)) {
            continue;
          }
          Matcher field = FIELD.matcher(fieldLine);
          if (!field.matches()) {
            throw unreadable(dts, i, fieldLine);
          }
          readonly = field.group(1) != null;
          fields.put(field.group(2), new RawField(field.group(4), field.group(3).equals("?")));
        }
        String name = block.group(1);
        if (name.equals("$FunctionResultByName")) {
          fields.forEach((function, result) -> resultNames.put(function, result.type()));
        } else if (!name.equals("$FunctionInputByName")) {
          if (!fields.containsKey("_") || !fields.get("_").type().equals("'" + typeName(name) + "'")) {
            throw unreadable(dts, i, "no discriminator _: '" + typeName(name) + "' in " + name);
          }
          fields.remove("_");
          blocks.put(name, new Block(name, readonly, fields));
        }
      } else if (union.matches()) {
        List<String> members = new ArrayList<>();
        for (; i + 1 < lines.size() && UNION_MEMBER.matcher(lines.get(i + 1)).matches(); i++) {
          Matcher member = UNION_MEMBER.matcher(lines.get(i + 1));
          member.matches();
          members.add(member.group(1));
        }
        unions.put(union.group(1), members);
      } else if (alias.matches()) {
        unions.put(alias.group(1), List.of(alias.group(2)));
      }
    }
    Set<String> functionNames = new LinkedHashSet<>(required(unions, "$Function", dts));
    for (Block block : blocks.values()) {
      Map<String, Field> fields = new LinkedHashMap<>();
      block.fields().forEach((field, raw) ->
          fields.put(field, new Field(field, type(raw.type(), blocks, unions, dts), raw.optional())));
      Constructor constructor = new Constructor(typeName(block.name()), fields);
      if (functionNames.contains(block.name())) {
        functions.put(block.name(), constructor);
      } else if (block.name().endsWith(INPUT)) {
        inputs.put(constructor.name(), constructor);
      } else if (!block.readonly()) {
        outputs.put(constructor.name(), constructor);
      } else {
        throw new IllegalStateException(dts + ": " + block.name() + " is readonly but neither input nor function");
      }
    }
    resultNames.forEach((function, type) -> results.put(function, ref(type, blocks, unions, dts)));
  }

  private static boolean isComment(String line) {
    String text = line.strip();
    return text.startsWith("/**") || text.startsWith("*");
  }

  private static Type type(String text, Map<String, Block> blocks, Map<String, List<String>> unions, Path dts) {
    Matcher array = ARRAY.matcher(text);
    if (array.matches()) {
      String element = array.group(1);
      boolean nullElements = element.endsWith(" | null");
      return new ArrayOf(type(nullElements ? element.substring(0, element.length() - 7) : element, blocks, unions,
          dts), nullElements);
    }
    return switch (text) {
      case "number" -> Scalar.NUMBER;
      case "string" -> Scalar.STRING;
      case "string /* base64 */" -> Scalar.BYTES;
      case "number | string" -> Scalar.INT64;
      case "boolean" -> Scalar.BOOLEAN;
      default -> {
        if (!NAME.matcher(text).matches()) {
          throw new IllegalStateException(dts + ": unknown form of field type: " + text);
        }
        yield ref(text, blocks, unions, dts);
      }
    };
  }

  private static Ref ref(String name, Map<String, Block> blocks, Map<String, List<String>> unions, Path dts) {
    Set<String> allowed = new LinkedHashSet<>();
    addConstructors(name, blocks, unions, allowed, dts);
    return new Ref(typeName(name), Collections.unmodifiableSet(allowed), name.endsWith(INPUT));
  }

  private static void addConstructors(
      String name, Map<String, Block> blocks, Map<String, List<String>> unions, Set<String> into, Path dts) {
    if (blocks.containsKey(name)) {
      into.add(typeName(name));
    } else {
      required(unions, name, dts).forEach(member -> addConstructors(member, blocks, unions, into, dts));
    }
  }

  private static List<String> required(Map<String, List<String>> unions, String name, Path dts) {
    List<String> members = unions.get(name);
    if (members == null) {
      throw new IllegalStateException(dts + ": type " + name + " is used but not defined");
    }
    return members;
  }

  private static String typeName(String name) {
    return name.endsWith(INPUT) ? name.substring(0, name.length() - INPUT.length()) : name;
  }

  private static IllegalStateException unreadable(Path dts, int index, String line) {
    return new IllegalStateException(dts + ":" + (index + 1) + ": unreadable line: " + line);
  }
}
