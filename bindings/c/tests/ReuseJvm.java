import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * libdiskann loaded into a process where a JVM already runs (this one): it must find and reuse it
 * (JNI_GetCreatedJavaVMs) instead of starting a second. Run by `make test`:
 * java --enable-native-access=ALL-UNNAMED -cp 'target/native/jars/*' tests/ReuseJvm.java target/native/libdiskann.so
 */
public final class ReuseJvm {
    public static void main(String[] args) throws Throwable {
        Linker linker = Linker.nativeLinker();
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup lib = SymbolLookup.libraryLookup(Path.of(args[0]), arena);
            MethodHandle create = linker.downcallHandle(lib.find("diskann_create").orElseThrow(), FunctionDescriptor.of(
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
            MethodHandle insert = linker.downcallHandle(lib.find("diskann_insert").orElseThrow(), FunctionDescriptor.of(
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS));
            MethodHandle search = linker.downcallHandle(lib.find("diskann_search").orElseThrow(), FunctionDescriptor.of(
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                    ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
            MethodHandle free = linker.downcallHandle(lib.find("diskann_free").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
            MethodHandle lastError = linker.downcallHandle(lib.find("diskann_last_error").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS));
            MemorySegment handle = arena.allocate(8);
            check((int) create.invokeExact(4, 0, MemorySegment.NULL, handle), lastError);
            long h = handle.get(ValueLayout.JAVA_LONG, 0);
            MemorySegment id = arena.allocate(8);
            for (int i = 0; i < 4; i++) {
                float[] v = new float[4];
                v[i] = 1;
                check((int) insert.invokeExact(h, arena.allocateFrom(ValueLayout.JAVA_FLOAT, v), MemorySegment.NULL, 0, id), lastError);
            }
            MemorySegment ids = arena.allocate(16);
            MemorySegment dist = arena.allocate(8);
            MemorySegment found = arena.allocate(4);
            check((int) search.invokeExact(h, arena.allocateFrom(ValueLayout.JAVA_FLOAT, 0f, 0f, 1f, 0f), 2, MemorySegment.NULL,
                    MemorySegment.NULL, ids, dist, found), lastError);
            if (found.get(ValueLayout.JAVA_INT, 0) != 2 || ids.get(ValueLayout.JAVA_LONG, 0) != 2) {
                throw new AssertionError("expected id 2 first, got " + ids.get(ValueLayout.JAVA_LONG, 0));
            }
            check((int) free.invokeExact(h), lastError);
            // the index lives in this JVM: the bridge's handle table is the one on this class path
            int open = (int) Class.forName("io.diskann.capi.NativeBridge").getMethod("openHandles").invoke(null);
            if (open != 0) {
                throw new AssertionError(open + " handles open after free");
            }
            System.out.println("reused the running JVM: create, insert, search and free through libdiskann work");
        }
    }

    private static void check(int status, MethodHandle lastError) throws Throwable {
        if (status != 0) {
            MemorySegment m = ((MemorySegment) lastError.invokeExact()).reinterpret(4096);
            throw new AssertionError("status " + status + ": " + m.getString(0));
        }
    }
}
