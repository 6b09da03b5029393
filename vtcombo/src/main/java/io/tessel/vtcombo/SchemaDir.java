package io.tessel.vtcombo;

import io.tessel.common.errors.VtException;
import io.tessel.proto.Vschema;
import io.tessel.vtgate.vindex.VSchemaLoader;
import io.tessel.vtgate.vindex.VindexRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A schema directory: one sub-directory per keyspace, {@code DIR/<ks>/}, holding {@code *.sql} scripts
 * (run in file-name order on every shard of the keyspace) and optionally {@code vschema.json} (Vitess's
 * keyspace VSchema JSON, validated here so that a bad one stops the start with an error naming the file).
 * The built-in example ({@link #builtin()}) has keyspaces {@code commerce} and {@code customer}.
 */
public final class SchemaDir {
    /** The resource folder of the built-in example. */
    static final String BUILTIN_RESOURCE = "/example";
    /** The built-in example's keyspaces and their shard counts: vtcombo's default cluster. */
    static final Map<String, Integer> BUILTIN_KEYSPACES = Map.of("commerce", 1, "customer", 2);

    private static final VSchemaLoader LOADER = new VSchemaLoader(VindexRegistry.builtin());

    private SchemaDir() {}

    /** The built-in example schema directory (inside the jar or the classes directory). */
    public static Path builtin() {
        URL url = SchemaDir.class.getResource(BUILTIN_RESOURCE);
        if (url == null) {
            throw new IllegalStateException("the built-in example schema " + BUILTIN_RESOURCE + " is missing");
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                try {
                    FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    // opened before: Path.of finds it
                }
            }
            return Path.of(uri);
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot open the built-in example schema at " + url, e);
        }
    }

    /** The keyspaces a schema directory defines: its sub-directories, sorted by name. */
    public static List<String> keyspaces(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString().replace("/", ""))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list schema directory " + dir, e);
        }
    }

    /**
     * Reads keyspace {@code keyspace} from {@code dir}: its SQL scripts and VSchema. A keyspace without a
     * sub-directory gets neither (an empty database on each shard).
     *
     * @throws IllegalArgumentException naming the file when vschema.json does not parse or validate
     */
    public static KeyspaceSpec read(Path dir, String keyspace, List<String> shards) {
        Path ks = dir.resolve(keyspace);
        if (!Files.isDirectory(ks)) {
            return new KeyspaceSpec(keyspace, shards, List.of(), null);
        }
        try {
            List<String> scripts = new ArrayList<>();
            for (Path file : sqlFiles(ks)) {
                scripts.add(Files.readString(file));
            }
            Path vschemaFile = ks.resolve("vschema.json");
            Vschema.Keyspace vschema = Files.isRegularFile(vschemaFile)
                    ? parseVSchema(keyspace, vschemaFile, Files.readString(vschemaFile)) : null;
            return new KeyspaceSpec(keyspace, shards, scripts, vschema);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema directory " + ks, e);
        }
    }

    /**
     * Parses and validates a keyspace VSchema as vtgate will build it.
     *
     * @throws IllegalArgumentException naming {@code source} and the problem
     */
    static Vschema.Keyspace parseVSchema(String keyspace, Object source, String json) {
        try {
            Vschema.Keyspace vschema = VSchemaLoader.parseJson(json);
            LOADER.build(keyspace, vschema);
            return vschema;
        } catch (VtException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> sqlFiles(Path ks) throws IOException {
        try (Stream<Path> files = Files.list(ks)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".sql") && Files.isRegularFile(f))
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
        }
    }
}
