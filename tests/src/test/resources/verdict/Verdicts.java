import java.io.FileOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** One way for a Java program to end, per mode: java Verdicts MODE [ARG] MARKER (as verdicts.c). */
public class Verdicts {
    private static final int MIB = 1 << 20;

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "spin" -> {
                long i = 0;
                while (i >= 0) {
                    i = (i + 1) & 0xffff;
                }
            }
            case "sleep" -> Thread.sleep(1_000_000);
            case "heap" -> {
                List<byte[]> chunks = new ArrayList<>();
                for (int i = 0; i < Integer.parseInt(args[1]); i++) {
                    byte[] b = new byte[MIB];
                    for (int j = 0; j < MIB; j += 4096) {
                        b[j] = 1; // a fresh array is zeroed by the JVM, but touch it anyway
                    }
                    chunks.add(b);
                }
                System.out.println("note heap touched " + chunks.size() + " MiB");
            }
            case "stack" -> recurse(0);
            case "threads" -> {
                for (int n = 0;; n++) {
                    Thread t = new Thread(() -> {
                        try {
                            Thread.sleep(1_000_000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                    t.setDaemon(true);
                    try {
                        t.start();
                    } catch (OutOfMemoryError e) {
                        // "unable to create native thread": pthread_create failed with EAGAIN.
                        System.out.println("blocked threads EAGAIN after " + n + ": " + e.getMessage());
                        System.exit(3);
                    }
                }
            }
            case "flood" -> {
                byte[] line = "flood flood flood flood flood flood flood flood flood flood flood flood flood\n".getBytes();
                while (true) {
                    System.out.write(line);
                }
            }
            case "file" -> {
                try (FileOutputStream out = new FileOutputStream(args[1])) {
                    byte[] chunk = new byte[MIB];
                    while (true) {
                        out.write(chunk);
                    }
                } catch (IOException e) {
                    System.out.println("blocked write " + e.getMessage());
                    System.exit(3);
                }
            }
            case "exit137" -> System.exit(137);
            default -> {
                System.err.println("unknown mode " + args[0]);
                System.exit(4);
            }
        }
    }

    private static long recurse(long depth) {
        return recurse(depth + 1) + 1;
    }
}
