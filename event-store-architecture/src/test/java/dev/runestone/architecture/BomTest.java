package dev.runestone.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.xml.sax.SAXException;

/**
 * The BOM against the reactor: {@code runestone-bom} lists every published module at the project's version, and
 * nothing else. Read from the POMs, starting at the root's {@code <modules>}: a module is published unless it, or the
 * aggregator listing it, sets {@code maven.deploy.skip} to true; a published module packaged as {@code pom} is a
 * parent (or the BOM itself), which the BOM does not list.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BomTest {

    private static final String BOM = "runestone-bom";
    private static final String GROUP = "dev.runestone";

    private static List<Module> modules;
    private static Pom bom;

    @BeforeAll
    static void read_the_poms_of_the_reactor() throws Exception {
        String root = System.getProperty("runestone.root");
        assertThat(root).as("the system property runestone.root (the reactor's root directory, set by Surefire in "
                + "event-store-architecture/pom.xml)").isNotBlank();
        modules = new ArrayList<>();
        walk(Path.of(root), false);
        bom = modules.stream().filter(module -> module.pom().artifactId().equals(BOM)).findFirst()
                .orElseThrow(() -> new AssertionError(BOM + " is not a module of the reactor: list it in the root "
                        + "pom.xml's <modules>"))
                .pom();
    }

    @Test
    void the_bom_lists_every_published_module() {
        Set<String> missing = new TreeSet<>(published());
        missing.removeAll(bom.managed().keySet());

        assertThat(missing)
                .as("published modules that %s/pom.xml does not list: add a <dependency> on each, with groupId %s "
                        + "and version ${project.version}, to its <dependencyManagement>; or, for a module that is "
                        + "not to be published, set the property maven.deploy.skip to true in its pom.xml", BOM, GROUP)
                .isEmpty();
    }

    @Test
    void the_bom_lists_nothing_but_published_modules() {
        Set<String> unknown = new TreeSet<>(bom.managed().keySet());
        unknown.removeAll(published());

        assertThat(unknown)
                .as("what %s/pom.xml lists but the reactor does not publish (no such module, a module that sets "
                        + "maven.deploy.skip, or a parent POM): remove it from the BOM", BOM)
                .isEmpty();
    }

    @Test
    void the_bom_gives_every_module_the_projects_version_and_group() {
        Map<String, String> others = bom.managed().entrySet().stream()
                .filter(entry -> !entry.getValue().equals(GROUP + ":${project.version}"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));

        assertThat(others)
                .as("entries of %s/pom.xml that are not %s at ${project.version}: the BOM gives every module the "
                        + "version it is released with", BOM, GROUP)
                .isEmpty();
    }

    @Test
    void every_published_jar_names_its_own_automatic_module() {
        Map<String, String> names = new TreeMap<>();
        for (Module module : modules) {
            if (module.published() && !module.pom().packaging().equals("pom")) {
                names.put(module.pom().artifactId(), module.pom().properties().getOrDefault("module.name", ""));
            }
        }

        assertThat(names.entrySet())
                .as("the module.name property of each published module, its jar's Automatic-Module-Name: set it "
                        + "in the module's pom.xml to a name under dev.runestone that no other module has")
                .allSatisfy(entry -> assertThat(entry.getValue()).startsWith(GROUP + ".")
                        .isNotEqualTo(GROUP + ".parent"));
        assertThat(names.values()).as("module names, which must differ: %s", names).doesNotHaveDuplicates();
    }

    /** The artifact ids the BOM should list: published modules that make a jar. */
    private static Set<String> published() {
        return modules.stream()
                .filter(module -> module.published() && !module.pom().packaging().equals("pom"))
                .map(module -> module.pom().artifactId())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static void walk(Path directory, boolean skippedAbove) throws Exception {
        Pom pom = Pom.read(directory.resolve("pom.xml"));
        boolean skipped = Optional.ofNullable(pom.properties().get("maven.deploy.skip"))
                .map(Boolean::parseBoolean).orElse(skippedAbove);
        modules.add(new Module(pom, !skipped));
        for (String child : pom.modules()) {
            walk(directory.resolve(child), skipped);
        }
    }

    private record Module(Pom pom, boolean published) {}

    /**
     * What the test needs of one pom.xml, as written (not the effective model): its artifact id, packaging,
     * properties, modules, and its dependency management as {@code artifactId -> groupId:version}.
     */
    private record Pom(String artifactId, String packaging, Map<String, String> properties, List<String> modules,
            Map<String, String> managed) {

        static Pom read(Path file) throws IOException, ParserConfigurationException, SAXException {
            assertThat(file).as("the POM of a module listed in <modules>").isRegularFile();
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Element project;
            try (var in = Files.newInputStream(file)) {
                project = factory.newDocumentBuilder().parse(in).getDocumentElement();
            }
            Map<String, String> properties = new HashMap<>();
            child(project, "properties").ifPresent(element -> children(element)
                    .forEach(property -> properties.put(property.getTagName(), property.getTextContent().trim())));
            List<String> modules = child(project, "modules").stream()
                    .flatMap(element -> children(element).stream())
                    .map(module -> module.getTextContent().trim())
                    .toList();
            Map<String, String> managed = new LinkedHashMap<>();
            child(project, "dependencyManagement").flatMap(element -> child(element, "dependencies"))
                    .ifPresent(dependencies -> children(dependencies).forEach(dependency -> managed.put(
                            text(dependency, "artifactId"),
                            text(dependency, "groupId") + ":" + text(dependency, "version"))));
            return new Pom(text(project, "artifactId"), child(project, "packaging").map(BomTest::text).orElse("jar"),
                    properties, modules, managed);
        }

        private static String text(Element parent, String name) {
            return child(parent, name).map(BomTest::text).orElse("");
        }
    }

    private static Optional<Element> child(Element parent, String name) {
        return children(parent).stream().filter(element -> element.getTagName().equals(name)).findFirst();
    }

    private static List<Element> children(Element parent) {
        List<Element> children = new ArrayList<>();
        for (var node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                children.add(element);
            }
        }
        return children;
    }

    private static String text(Element element) {
        return element.getTextContent().trim();
    }
}
