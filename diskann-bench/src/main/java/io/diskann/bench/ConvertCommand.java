package io.diskann.bench;

import io.diskann.bench.data.FloatMatrix;
import io.diskann.bench.data.IdxFiles;
import io.diskann.bench.data.VecsFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./diskann convert}: IDX (MNIST format, optionally gzipped) images to fvecs, labels to text. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert IDX images (.gz ok) to .fvecs, or IDX labels to one label per line.")
final class ConvertCommand implements Callable<Integer> {

    @Option(names = "--idx", required = true, paramLabel = "FILE", description = "IDX input file.")
    Path input;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output: .fvecs for images, .txt for labels.")
    Path out;

    @Override
    public Integer call() throws IOException {
        String name = out.getFileName().toString();
        if (name.endsWith(".fvecs")) {
            FloatMatrix m = IdxFiles.readImages(input);
            VecsFiles.writeFloats(out, m);
            System.out.println("wrote " + out + ": " + m.rows() + " x " + m.dims());
        } else if (name.endsWith(".txt")) {
            int[] labels = IdxFiles.readLabels(input);
            Files.writeString(out, Arrays.stream(labels).mapToObj(String::valueOf).collect(Collectors.joining("\n", "", "\n")));
            System.out.println("wrote " + out + ": " + labels.length + " labels");
        } else {
            throw new IllegalArgumentException("--out must end in .fvecs (images) or .txt (labels)");
        }
        return 0;
    }
}
