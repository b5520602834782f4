/* The C side of the bindings' overhead benchmark (bindings/bench.sh): the loops BindingBench runs. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "diskann.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: bench INDEX QUERIES.fvecs [passes] [warmup-seconds]\n");
        return 2;
    }
    int passes = argc > 3 ? atoi(argv[3]) : 5;
    double warmup = argc > 4 ? atof(argv[4]) : 5;
    FILE *f = fopen(argv[2], "rb");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    int dims;
    if (fread(&dims, 4, 1, f) != 1) return 1;
    long rows = size / (4 + 4L * dims);
    float *q = malloc(sizeof(float) * rows * dims);
    fseek(f, 0, SEEK_SET);
    for (long r = 0; r < rows; r++) {
        int d;
        if (fread(&d, 4, 1, f) != 1 || fread(q + r * dims, 4, dims, f) != (size_t)dims) return 1;
    }
    fclose(f);
    diskann_index index;
    if (diskann_load(argv[1], &index) != DISKANN_OK) {
        fprintf(stderr, "%s\n", diskann_last_error());
        return 1;
    }
    diskann_search_params sp = {.list_size = 64};
    int64_t ids[10];
    float dist[10];
    uint32_t found;
    double end = now() + warmup;
    while (now() < end) {
        for (long r = 0; r < rows; r++) diskann_search(index, q + r * dims, 10, &sp, NULL, ids, dist, &found);
    }
    double best = 0;
    long long checksum = 0;
    for (int p = 0; p < passes; p++) {
        long long s = 0;
        double t0 = now();
        for (long r = 0; r < rows; r++) {
            diskann_search(index, q + r * dims, 10, &sp, NULL, ids, dist, &found);
            for (uint32_t i = 0; i < found; i++) s += ids[i];
        }
        double qps = rows / (now() - t0);
        if (qps > best) best = qps;
        checksum = s;
    }
    int64_t *bids = malloc(sizeof(int64_t) * rows * 10);
    float *bd = malloc(sizeof(float) * rows * 10);
    uint32_t *bf = malloc(sizeof(uint32_t) * rows);
    double best_batch = 0;
    for (int p = 0; p < passes; p++) {
        double t0 = now();
        diskann_batch_search(index, q, rows, 10, &sp, NULL, bids, bd, bf);
        double qps = rows / (now() - t0);
        if (qps > best_batch) best_batch = qps;
    }
    printf("{\"lang\":\"c\",\"queries\":%ld,\"single_qps\":%.1f,\"batch_qps\":%.1f,\"checksum\":%lld}\n", rows, best,
           best_batch, checksum);
    diskann_free(index);
    return 0;
}
