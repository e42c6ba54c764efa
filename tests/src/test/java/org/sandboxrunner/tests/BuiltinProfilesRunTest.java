package org.sandboxrunner.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sandboxrunner.tests.SandboxFixture.out;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sandboxrunner.core.run.RunRequest;
import org.sandboxrunner.core.run.RunResult;
import org.sandboxrunner.core.run.Status;

/** Every built-in profile runs the real programs it is for, inside the sandbox, with the right verdict. */
class BuiltinProfilesRunTest {
    static SandboxFixture fx;

    @TempDir
    Path box;

    @BeforeAll
    static void open() {
        fx = new SandboxFixture();
    }

    @AfterAll
    static void close() {
        fx.close();
    }

    private RunResult run(String profile, String... command) {
        return fx.run(RunRequest.of(SandboxFixture.builtin(profile), List.of(command)).withWorkdir(box));
    }

    @Test
    void graderCCompilesAndRunsC() throws Exception {
        Files.writeString(box.resolve("main.c"), "#include <stdio.h>\nint main(void){long s=0;for(int i=1;i<=100;i++)s+=i;"
                + "printf(\"%ld\\n\",s);return 0;}\n");
        RunResult compile = run("grader-c", "gcc", "-O2", "-o", "main", "main.c");
        assertEquals(Status.OK, compile.status(), compile.message() + SandboxFixture.err(compile));
        RunResult r = run("grader-c", "./main");
        assertEquals(Status.OK, r.status(), r.message());
        assertEquals("5050\n", out(r));
    }

    @Test
    void graderCCompilesCpp() throws Exception {
        Files.writeString(box.resolve("main.cpp"), "#include <iostream>\n#include <vector>\nint main(){std::vector<int> v{1,2,3};"
                + "std::cout<<v.size()<<std::endl;}\n");
        RunResult compile = run("grader-c", "g++", "-O2", "-o", "cpp", "main.cpp");
        assertEquals(Status.OK, compile.status(), compile.message() + SandboxFixture.err(compile));
        assertEquals("3\n", out(run("grader-c", "./cpp")));
    }

    @Test
    void graderPythonRunsAScriptAndReportsItsError() throws Exception {
        Files.writeString(box.resolve("ok.py"), "import sys, json\nprint(json.dumps({'n': sum(range(10))}))\n");
        Files.writeString(box.resolve("bad.py"), "raise SystemExit(3)\n");
        RunResult ok = run("grader-python", "python3", "ok.py");
        assertEquals(Status.OK, ok.status(), ok.message() + SandboxFixture.err(ok));
        assertEquals("{\"n\": 45}\n", out(ok));
        RunResult bad = run("grader-python", "python3", "bad.py");
        assertEquals(Status.RE, bad.status());
        assertEquals(3, bad.exitCode().getAsInt());
    }

    @Test
    void graderJavaCompilesAndRunsJava() throws Exception {
        Files.writeString(box.resolve("Main.java"), "public class Main { public static void main(String[] a) throws Exception {"
                + " Thread t = new Thread(() -> System.out.println(\"threads work\")); t.start(); t.join();"
                + " System.out.println(java.util.stream.IntStream.rangeClosed(1, 10).sum()); } }\n");
        String jdk = Path.of(System.getProperty("java.home")).toString();
        RunResult compile = run("grader-java", jdk + "/bin/javac", "Main.java");
        assertEquals(Status.OK, compile.status(), compile.message() + SandboxFixture.err(compile));
        RunResult r = run("grader-java", jdk + "/bin/java", "-cp", ".", "Main");
        assertEquals(Status.OK, r.status(), r.message() + SandboxFixture.err(r));
        assertEquals("threads work\n55\n", out(r));
    }

    @Test
    void batchRunsAShellPipeline() {
        RunResult r = run("batch", "/bin/sh", "-c", "seq 1 1000 | sort -n | tail -1");
        assertEquals(Status.OK, r.status(), r.message());
        assertEquals("1000\n", out(r));
    }

    @Test
    void defaultRunsAProgramAndRefusesWhatItForbids() {
        RunResult r = run("default", "/bin/sh", "-c", "echo ok; unshare -U true 2>/dev/null && echo escaped || echo refused");
        assertEquals(Status.OK, r.status(), r.message());
        assertTrue(out(r).equals("ok\nrefused\n"), out(r));
    }
}
