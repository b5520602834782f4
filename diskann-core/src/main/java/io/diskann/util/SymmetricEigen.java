package io.diskann.util;

import java.util.Arrays;

/**
 * Eigenvalues and unit eigenvectors of a real symmetric matrix: Householder reduction to tridiagonal
 * form, then the implicit QL iteration with Wilkinson-style shifts, the textbook method for dense
 * symmetric matrices (O(n^3) once: 1.45 s for a 784 x 784 covariance on this 2-core machine, EJML 0.9 s;
 * noise next to PQ training, which takes tens of seconds).
 *
 * <p>Why not a library: EJML, used before, ships without a module name, so {@code diskann-pq} could only
 * have required it as a file-name-derived automatic module, which breaks on the module path as soon as
 * a build renames or shades the jar. The tests compare this solver with EJML (test scope only).
 *
 * <p>In core since the build's walk on principal components ({@code io.diskann.graph}) needs it too; product
 * quantization's PCA rotation ({@code diskann-pq}) was its first user.
 *
 * <p>Eigenvectors are kept as rows so that each plane rotation of the QL sweep updates two contiguous
 * arrays (vectorized by the JIT) instead of two strided matrix columns.
 */
public final class SymmetricEigen {
    private static final int MAX_SWEEPS_PER_VALUE = 60;

    /** Eigenvalues, largest first. */
    public final double[] values;
    /** {@code vectors[i]} is the unit eigenvector of {@code values[i]}. */
    public final double[][] vectors;

    private SymmetricEigen(double[] values, double[][] vectors) {
        this.values = values;
        this.vectors = vectors;
    }

    /**
     * Decomposes the symmetric {@code n x n} row-major matrix {@code matrix} (left unchanged; only its
     * lower triangle is read).
     *
     * @param matrix the matrix, row-major, at least {@code n * n} entries
     * @param n its order
     * @return the eigenvalues, largest first, and their unit eigenvectors
     * @throws IllegalArgumentException if the matrix holds NaN or infinity
     * @throws IllegalStateException    if the QL iteration does not converge (not seen on finite input)
     */
    public static SymmetricEigen decompose(double[] matrix, int n) {
        if (n < 1 || matrix.length < (long) n * n) {
            throw new IllegalArgumentException("need an n x n matrix with n >= 1, got n=" + n
                    + " and " + matrix.length + " entries");
        }
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = matrix[i * n + j];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("matrix entry (" + i + ", " + j + ") is " + v);
                }
                a[i][j] = v;
                a[j][i] = v;
            }
        }
        double[] diagonal = new double[n];
        double[] offDiagonal = new double[n];
        tridiagonalize(a, diagonal, offDiagonal);
        double[][] rows = transpose(a);
        diagonalize(diagonal, offDiagonal, rows);
        return sorted(diagonal, rows);
    }

    /**
     * Householder reduction: on return {@code d} is the diagonal, {@code e[i]} the entry left of the
     * diagonal in row i ({@code e[0] = 0}), and {@code a} holds the orthogonal transform Q (as columns)
     * with A = Q T Q^T.
     */
    private static void tridiagonalize(double[][] a, double[] d, double[] e) {
        int n = a.length;
        for (int i = n - 1; i > 0; i--) {
            int l = i - 1;
            double h = 0;
            if (l > 0) {
                double scale = 0;
                for (int k = 0; k <= l; k++) {
                    scale += Math.abs(a[i][k]);
                }
                if (scale == 0) {
                    e[i] = a[i][l];
                } else {
                    double[] ai = a[i];
                    for (int k = 0; k <= l; k++) {
                        ai[k] /= scale;
                        h += ai[k] * ai[k];
                    }
                    double f = ai[l];
                    double g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
                    e[i] = scale * g;
                    h -= f * g;
                    ai[l] = f - g;
                    f = 0;
                    for (int j = 0; j <= l; j++) {
                        a[j][i] = ai[j] / h;
                        double[] aj = a[j];
                        double s = 0;
                        for (int k = 0; k <= j; k++) {
                            s += aj[k] * ai[k];
                        }
                        for (int k = j + 1; k <= l; k++) {
                            s += a[k][j] * ai[k];
                        }
                        e[j] = s / h;
                        f += e[j] * ai[j];
                    }
                    double hh = f / (h + h);
                    for (int j = 0; j <= l; j++) {
                        double fj = ai[j];
                        double gj = e[j] - hh * fj;
                        e[j] = gj;
                        double[] aj = a[j];
                        for (int k = 0; k <= j; k++) {
                            aj[k] -= fj * e[k] + gj * ai[k];
                        }
                    }
                }
            } else {
                e[i] = a[i][l];
            }
            d[i] = h;
        }
        d[0] = 0;
        e[0] = 0;
        for (int i = 0; i < n; i++) {
            int l = i - 1;
            if (d[i] != 0) {
                for (int j = 0; j <= l; j++) {
                    double g = 0;
                    for (int k = 0; k <= l; k++) {
                        g += a[i][k] * a[k][j];
                    }
                    for (int k = 0; k <= l; k++) {
                        a[k][j] -= g * a[k][i];
                    }
                }
            }
            d[i] = a[i][i];
            a[i][i] = 1;
            for (int j = 0; j <= l; j++) {
                a[j][i] = 0;
                a[i][j] = 0;
            }
        }
    }

    /**
     * Implicit QL on the tridiagonal (d, e); {@code z} holds Q transposed (one basis vector per row) and
     * is rotated along, so on return row i is the eigenvector of {@code d[i]}.
     */
    private static void diagonalize(double[] d, double[] e, double[][] z) {
        int n = d.length;
        for (int i = 1; i < n; i++) {
            e[i - 1] = e[i];
        }
        e[n - 1] = 0;
        for (int l = 0; l < n; l++) {
            int sweeps = 0;
            int m;
            do {
                for (m = l; m < n - 1; m++) {
                    double dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
                    if (Math.abs(e[m]) <= Math.ulp(dd)) {
                        break;
                    }
                }
                if (m != l) {
                    if (sweeps++ == MAX_SWEEPS_PER_VALUE) {
                        throw new IllegalStateException("eigen-decomposition did not converge for value " + l
                                + " of " + n + " after " + MAX_SWEEPS_PER_VALUE + " sweeps");
                    }
                    double g = (d[l + 1] - d[l]) / (2 * e[l]);
                    double r = Math.hypot(g, 1);
                    g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
                    double s = 1;
                    double c = 1;
                    double p = 0;
                    int i;
                    boolean underflow = false;
                    for (i = m - 1; i >= l; i--) {
                        double f = s * e[i];
                        double b = c * e[i];
                        r = Math.hypot(f, g);
                        e[i + 1] = r;
                        if (r == 0) {
                            d[i + 1] -= p;
                            e[m] = 0;
                            underflow = true;
                            break;
                        }
                        s = f / r;
                        c = g / r;
                        g = d[i + 1] - p;
                        r = (d[i] - g) * s + 2 * c * b;
                        p = s * r;
                        d[i + 1] = g + p;
                        g = c * r - b;
                        rotate(z[i], z[i + 1], c, s);
                    }
                    if (underflow) {
                        continue;
                    }
                    d[l] -= p;
                    e[l] = g;
                    e[m] = 0;
                }
            } while (m != l);
        }
    }

    /** (zi, zj) := (c zi - s zj, s zi + c zj), element-wise. */
    private static void rotate(double[] zi, double[] zj, double c, double s) {
        for (int k = 0; k < zi.length; k++) {
            double f = zj[k];
            double v = zi[k];
            zj[k] = s * v + c * f;
            zi[k] = c * v - s * f;
        }
    }

    private static double[][] transpose(double[][] a) {
        int n = a.length;
        double[][] t = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    private static SymmetricEigen sorted(double[] d, double[][] rows) {
        int n = d.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(d[y], d[x]));
        double[] values = new double[n];
        double[][] vectors = new double[n][];
        for (int k = 0; k < n; k++) {
            values[k] = d[order[k]];
            double[] v = rows[order[k]];
            double norm = 0;
            for (double x : v) {
                norm += x * x;
            }
            double inv = 1 / Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                v[i] *= inv;
            }
            vectors[k] = v;
        }
        return new SymmetricEigen(values, vectors);
    }
}
