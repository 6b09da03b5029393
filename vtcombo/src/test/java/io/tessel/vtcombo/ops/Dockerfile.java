package io.tessel.vtcombo.ops;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A Dockerfile as its stages and instructions (continuation lines joined, comments dropped); enough to
 * check targets, entrypoints, exposed ports, users and copied files, not a full parser.
 *
 * @param stages the build stages in order
 */
record Dockerfile(List<Stage> stages) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One instruction: its keyword in upper case and the rest of the (joined) line. */
    record Instruction(String keyword, String rest) {}

    /**
     * One stage.
     *
     * @param name         the stage's {@code AS} name, or null
     * @param from         its base: an image or an earlier stage's name
     * @param instructions its instructions after FROM
     */
    record Stage(String name, String from, List<Instruction> instructions) {
        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        Optional<Instruction> last(String keyword) {
            List<Instruction> found = all(keyword);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
        }
    }

    static Dockerfile read(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    static Dockerfile parse(String text) {
        List<Stage> stages = new ArrayList<>();
        List<Instruction> current = null;
        StringBuilder line = new StringBuilder();
        for (String raw : text.split("\n", -1)) {
            String trimmed = raw.strip();
            if (trimmed.startsWith("#") || trimmed.isEmpty() && line.isEmpty()) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                line.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            line.append(trimmed);
            String joined = line.toString().strip();
            line.setLength(0);
            String[] parts = joined.split("\\s+", 2);
            String keyword = parts[0].toUpperCase(Locale.ROOT);
            String rest = parts.length > 1 ? parts[1] : "";
            if (keyword.equals("FROM")) {
                String[] words = rest.split("\\s+");
                current = new ArrayList<>();
                boolean named = words.length >= 3 && words[words.length - 2].equalsIgnoreCase("AS");
                String from = Arrays.stream(words).filter(w -> !w.startsWith("--")).findFirst().orElse("");
                stages.add(new Stage(named ? words[words.length - 1] : null, from, current));
            } else if (current != null) {
                current.add(new Instruction(keyword, rest));
            }
        }
        return new Dockerfile(List.copyOf(stages));
    }

    Optional<Stage> stage(String name) {
        return stages.stream().filter(s -> name.equals(s.name())).findFirst();
    }

    /** The stage and the earlier stages it is based on, nearest first. */
    List<Stage> chain(Stage stage) {
        List<Stage> chain = new ArrayList<>();
        for (Optional<Stage> s = Optional.of(stage); s.isPresent() && !chain.contains(s.get()); s = stage(s.get().from())) {
            chain.add(s.get());
        }
        return chain;
    }

    /** The last instruction of this keyword in the stage or its base stages. */
    Optional<Instruction> effective(Stage stage, String keyword) {
        return chain(stage).stream().map(s -> s.last(keyword)).flatMap(Optional::stream).findFirst();
    }

    /** An exec-form (JSON array) instruction's words. */
    static List<String> execForm(Instruction instruction) {
        try {
            return JSON.readValue(instruction.rest(), new TypeReference<List<String>>() {});
        } catch (IOException e) {
            throw new IllegalArgumentException(instruction.keyword() + " is not in exec (JSON) form: " + instruction.rest(), e);
        }
    }
}
