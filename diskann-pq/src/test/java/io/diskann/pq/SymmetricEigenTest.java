package io.diskann.pq;

import io.diskann.util.SymmetricEigen;
import io.diskann.testing.TestSeeds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Our eigen-solver against the definition (A v = lambda v, orthonormal V) and against EJML's values. */
class SymmetricEigenTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 15, 17, 64, 129})
    void randomSymmetricMatricesMatchDefinitionAndEjml(int n) {
        Random random = TestSeeds.random(n * 31L + 7);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = random.nextGaussian();
                a[i * n + j] = v;
                a[j * n + i] = v;
            }
        }
        check(a, n);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 16, 100})
    void covarianceLikeMatricesWithRepeatedAndZeroEigenvalues(int n) {
        // rank n/2 Gram matrix of 3 repeated directions: eigenvalues repeat and half are exactly zero
        Random random = TestSeeds.random(n);
        int rank = Math.max(1, n / 2);
        double[][] basis = new double[rank][n];
        for (double[] row : basis) {
            for (int i = 0; i < n; i++) {
                row[i] = random.nextInt(3) - 1; // integer entries: ties in the spectrum are likely
            }
        }
        double[] a = new double[n * n];
        for (double[] row : basis) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    a[i * n + j] += row[i] * row[j];
                }
            }
        }
        check(a, n);
    }

    @Test
    void identityZeroAndDiagonalMatrices() {
        int n = 9;
        double[] zero = new double[n * n];
        SymmetricEigen z = SymmetricEigen.decompose(zero, n);
        for (double v : z.values) {
            assertEquals(0, v, 0);
        }
        assertOrthonormal(z.vectors, 1e-12);
        double[] diagonal = new double[n * n];
        for (int i = 0; i < n; i++) {
            diagonal[i * n + i] = i - 3;
        }
        SymmetricEigen d = SymmetricEigen.decompose(diagonal, n);
        for (int i = 0; i < n; i++) {
            assertEquals(n - 1 - 3 - i, d.values[i], 1e-12);
        }
        check(diagonal, n);
    }

    @Test
    void rejectsNonFiniteEntries() {
        double[] a = {1, 0, 0, Double.NaN};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.decompose(a, 2));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }

    private static void check(double[] a, int n) {
        SymmetricEigen eigen = SymmetricEigen.decompose(a.clone(), n);
        double scale = 1;
        for (double v : a) {
            scale = Math.max(scale, Math.abs(v));
        }
        double tolerance = 1e-9 * scale * n;
        for (int k = 0; k < n; k++) {
            if (k > 0) {
                assertTrue(eigen.values[k] <= eigen.values[k - 1], "values sorted descending");
            }
            double[] v = eigen.vectors[k];
            for (int i = 0; i < n; i++) {
                double av = 0;
                for (int j = 0; j < n; j++) {
                    av += a[i * n + j] * v[j];
                }
                assertEquals(eigen.values[k] * v[i], av, tolerance, "A v = lambda v, n=" + n + " k=" + k);
            }
        }
        assertOrthonormal(eigen.vectors, 1e-9 * n);

        EigenDecomposition_F64<DMatrixRMaj> ejml = DecompositionFactory_DDRM.eig(n, false, true);
        assertTrue(ejml.decompose(DMatrixRMaj.wrap(n, n, a.clone())));
        double[] expected = new double[n];
        for (int i = 0; i < n; i++) {
            expected[i] = ejml.getEigenvalue(i).getReal();
        }
        Arrays.sort(expected);
        for (int k = 0; k < n; k++) {
            assertEquals(expected[n - 1 - k], eigen.values[k], tolerance, "eigenvalue " + k + " against EJML");
        }
    }

    private static void assertOrthonormal(double[][] vectors, double tolerance) {
        for (int i = 0; i < vectors.length; i++) {
            for (int j = i; j < vectors.length; j++) {
                double dot = 0;
                for (int d = 0; d < vectors[i].length; d++) {
                    dot += vectors[i][d] * vectors[j][d];
                }
                assertEquals(i == j ? 1 : 0, dot, tolerance, "v" + i + " . v" + j);
            }
        }
    }
}
