/*
 * Tests of the C ABI against brute force: search, filters, range search, updates, save/load, errors,
 * handle lifetime, threads and create/free cycles. Run by `make test` (and `mvn verify`).
 */
#define _GNU_SOURCE
#include "diskann.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failures;
#define CHECK(cond, ...)                                                    \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                   \
            fprintf(stderr, "\n");                                          \
            failures++;                                                     \
        }                                                                   \
    } while (0)
#define OK(call)                                                                                        \
    do {                                                                                                \
        int st_ = (call);                                                                               \
        if (st_ != DISKANN_OK) {                                                                        \
            fprintf(stderr, "FAIL %s:%d: %s -> %s: %s\n", __FILE__, __LINE__, #call, diskann_status_name(st_), \
                    diskann_last_error());                                                              \
            exit(1);                                                                                    \
        }                                                                                               \
    } while (0)
#define EXPECT(status, call)                                                                             \
    do {                                                                                                 \
        int st_ = (call);                                                                                \
        CHECK(st_ == (status), "%s returned %s (%s), expected %s", #call, diskann_status_name(st_),      \
              diskann_last_error(), diskann_status_name(status));                                        \
        CHECK(st_ == DISKANN_OK || diskann_last_error()[0] != 0, "no message for %s", #call);            \
    } while (0)

enum { N = 2000, D = 24, Q = 50, K = 10, LABELS = 8 };
static float base[N * D], queries[Q * D];
static int32_t labels[N];
static uint64_t state = 42;

static float rnd(void) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (float)((state >> 40) & 0xFFFFFF) / (float)0x1000000 - 0.5f;
}

static float l2(const float *a, const float *b) {
    float s = 0;
    for (int i = 0; i < D; i++) {
        float d = a[i] - b[i];
        s += d * d;
    }
    return s;
}

/* Brute-force k nearest among ids accepted by keep (NULL: all); returns how many. */
static int truth(const float *q, int k, const int *keep, int64_t *out) {
    float best[K];
    int n = 0;
    for (int i = 0; i < N; i++) {
        if (keep && !keep[i]) {
            continue;
        }
        float d = l2(q, base + (size_t)i * D);
        int pos = n < k ? n++ : k;
        if (pos == k && d >= best[k - 1]) {
            continue;
        }
        if (pos == k) {
            pos = k - 1;
        }
        while (pos > 0 && best[pos - 1] > d) {
            best[pos] = best[pos - 1];
            out[pos] = out[pos - 1];
            pos--;
        }
        best[pos] = d;
        out[pos] = i;
    }
    return n;
}

/* Distances of the same search may differ in their last bits before and after the JIT compiles a kernel
   (bindings/README.md, "The shared suite"): equal within 2e-6 relative. */
static int close_enough(const float *a, const float *b, int n) {
    for (int i = 0; i < n; i++) {
        if (fabsf(a[i] - b[i]) > 2e-6f * fabsf(b[i]) && !(isinf(a[i]) && isinf(b[i]))) {
            return 0;
        }
    }
    return 1;
}

static double recall_of(const int64_t *got, int found, const int64_t *want, int n) {
    int hit = 0;
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < found; j++) {
            if (got[j] == want[i]) {
                hit++;
                break;
            }
        }
    }
    return n == 0 ? 1.0 : (double)hit / n;
}

static diskann_index build_index(void) {
    diskann_params p;
    diskann_params_init(&p);
    p.max_degree = 32;
    p.build_list_size = 64;
    p.threads = 2;
    diskann_index h = 0;
    OK(diskann_create(D, DISKANN_METRIC_L2, &p, &h));
    uint64_t offsets[N + 1];
    for (int i = 0; i <= N; i++) {
        offsets[i] = (uint64_t)i;
    }
    OK(diskann_build(h, base, N, offsets, labels));
    return h;
}

static double mean_recall(diskann_index h, const diskann_filter *f, const int *keep) {
    double sum = 0;
    diskann_search_params sp = {64, 0};
    for (int q = 0; q < Q; q++) {
        int64_t ids[K], want[K];
        float dist[K];
        uint32_t found = 0;
        OK(diskann_search(h, queries + (size_t)q * D, K, &sp, f, ids, dist, &found));
        int n = truth(queries + (size_t)q * D, K, keep, want);
        CHECK((int)found == n, "query %d found %u, expected %d", q, found, n);
        for (uint32_t i = 0; i < found; i++) {
            CHECK(!keep || keep[ids[i]], "query %d returned id %lld that fails the filter", q, (long long)ids[i]);
            CHECK(fabsf(dist[i] - l2(queries + (size_t)q * D, base + (size_t)ids[i] * D)) < 1e-4f,
                  "distance of id %lld", (long long)ids[i]);
            CHECK(i == 0 || dist[i] >= dist[i - 1], "results out of order");
        }
        for (int i = (int)found; i < K; i++) {
            CHECK(ids[i] == -1 && isinf(dist[i]), "unfilled slot %d not padded", i);
        }
        sum += recall_of(ids, (int)found, want, n);
    }
    return sum / Q;
}

static void test_search_and_filters(diskann_index h) {
    double r = mean_recall(h, NULL, NULL);
    CHECK(r >= 0.95, "recall@10 %.3f < 0.95", r);

    static int keep[N];
    int32_t one = 3;
    diskann_filter f = {DISKANN_FILTER_LABEL, 1, &one, NULL, 0};
    for (int i = 0; i < N; i++) keep[i] = labels[i] == 3;
    r = mean_recall(h, &f, keep);
    CHECK(r >= 0.95, "label filter recall %.3f", r);

    int32_t two[2] = {1, 5};
    diskann_filter any = {DISKANN_FILTER_ANY, 2, two, NULL, 0};
    for (int i = 0; i < N; i++) keep[i] = labels[i] == 1 || labels[i] == 5;
    r = mean_recall(h, &any, keep);
    CHECK(r >= 0.95, "any-of filter recall %.3f", r);

    diskann_filter all = {DISKANN_FILTER_ALL, 2, two, NULL, 0};
    for (int i = 0; i < N; i++) keep[i] = 0; /* every vector carries one label: nothing has both */
    r = mean_recall(h, &all, keep);
    CHECK(r == 1.0, "all-of filter matching nothing: %.3f", r);

    uint64_t bits[(N + 63) / 64] = {0};
    for (int i = 0; i < N; i += 7) {
        bits[i / 64] |= 1ULL << (i % 64);
    }
    diskann_filter bs = {DISKANN_FILTER_BITSET, 0, NULL, bits, N};
    for (int i = 0; i < N; i++) keep[i] = i % 7 == 0;
    r = mean_recall(h, &bs, keep);
    CHECK(r >= 0.95, "bitset filter recall %.3f", r);
}

static void test_batch_and_range(diskann_index h) {
    int64_t ids[Q * K], one[K];
    float dist[Q * K], d1[K];
    uint32_t found[Q], f1;
    diskann_search_params sp = {64, 0};
    OK(diskann_batch_search(h, queries, Q, K, &sp, NULL, ids, dist, found));
    for (int q = 0; q < Q; q++) {
        OK(diskann_search(h, queries + (size_t)q * D, K, &sp, NULL, one, d1, &f1));
        CHECK(found[q] == f1 && memcmp(one, ids + q * K, sizeof one) == 0 && close_enough(d1, dist + q * K, K),
              "batch result %d differs from the single search", q);
    }
    /* range: everything within the 10th neighbour's distance */
    int64_t want[K];
    truth(queries, K, NULL, want);
    float radius = l2(queries, base + (size_t)want[K - 1] * D);
    int64_t rid[4];
    float rd[4];
    uint64_t total = 0;
    OK(diskann_range_search(h, queries, radius, NULL, NULL, rid, rd, 4, &total));
    CHECK(total >= K - 1 && total <= K, "range search found %llu within the 10th distance", (unsigned long long)total);
    CHECK(rid[0] == want[0], "range search's first result %lld, expected %lld", (long long)rid[0], (long long)want[0]);
}

static void test_mutations_and_save(diskann_index h) {
    float v[D];
    for (int i = 0; i < D; i++) v[i] = queries[i] + 1e-3f;
    int64_t id = -1;
    int32_t lab = 7;
    OK(diskann_insert(h, v, &lab, 1, &id));
    CHECK(id >= N, "inserted id %lld, expected a fresh id >= %d", (long long)id, N);
    int64_t ids[K];
    float dist[K];
    uint32_t found;
    int32_t seven = 7;
    diskann_filter f = {DISKANN_FILTER_LABEL, 1, &seven, NULL, 0};
    OK(diskann_search(h, queries, K, NULL, &f, ids, dist, &found));
    CHECK(found > 0 && ids[0] == id, "the inserted vector is not the nearest with label 7");
    OK(diskann_delete(h, id));
    OK(diskann_search(h, queries, K, NULL, NULL, ids, dist, &found));
    for (uint32_t i = 0; i < found; i++) CHECK(ids[i] != id, "a deleted id came back");
    EXPECT(DISKANN_ERR_INVALID_ARGUMENT, diskann_delete(h, id));
    OK(diskann_update(h, 0, v, NULL, 0)); /* keeps id 0's label */
    memcpy(base, v, sizeof v);            /* the brute force sees the new vector too */
    OK(diskann_search(h, queries, 1, NULL, NULL, ids, dist, &found));
    CHECK(ids[0] == 0, "the updated vector is not found first (got %lld)", (long long)ids[0]);
    int32_t l0 = labels[0];
    diskann_filter f0 = {DISKANN_FILTER_LABEL, 1, &l0, NULL, 0};
    OK(diskann_search(h, queries, 1, NULL, &f0, ids, dist, &found));
    CHECK(found == 1 && ids[0] == 0, "update lost the labels");
    uint64_t removed = 0;
    OK(diskann_consolidate(h, &removed));
    CHECK(removed >= 1, "consolidate removed %llu", (unsigned long long)removed);
    diskann_index_stats s;
    OK(diskann_stats(h, &s));
    CHECK(s.count == N && s.dimensions == D && s.metric == DISKANN_METRIC_L2 && s.kind == DISKANN_KIND_MEMORY &&
              s.has_labels == 1 && s.memory_bytes > (uint64_t)N * D * 4,
          "stats: count %llu dims %u kind %d labels %d memory %llu", (unsigned long long)s.count, s.dimensions, s.kind,
          s.has_labels, (unsigned long long)s.memory_bytes);

    char path[] = "/tmp/diskann-c-test-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    OK(diskann_save(h, path));
    diskann_index g = 0;
    OK(diskann_load(path, &g));
    for (int q = 0; q < Q; q++) {
        int64_t a[K], b[K];
        float da[K], db[K];
        uint32_t fa, fb;
        OK(diskann_search(h, queries + (size_t)q * D, K, NULL, &f0, a, da, &fa));
        OK(diskann_search(g, queries + (size_t)q * D, K, NULL, &f0, b, db, &fb));
        CHECK(fa == fb && memcmp(a, b, sizeof a) == 0 && close_enough(da, db, K), "loaded index answers differently");
    }
    OK(diskann_free(g));

    /* a corrupt file is rejected with a clear error */
    FILE *fp = fopen(path, "r+b");
    fseek(fp, 200, SEEK_SET);
    int c = fgetc(fp);
    fseek(fp, 200, SEEK_SET);
    fputc(c ^ 0x55, fp);
    fclose(fp);
    g = 0;
    EXPECT(DISKANN_ERR_CORRUPT, diskann_load(path, &g));
    CHECK(g == 0, "a failed load wrote a handle");
    unlink(path);
    EXPECT(DISKANN_ERR_IO, diskann_load("/nonexistent/dir/x.idx", &g));

    /* a node cache chosen by sample queries belongs to the SSD-resident index (the language suites cover it) */
    diskann_search_params csp = {40, 0};
    uint32_t cached = 7;
    EXPECT(DISKANN_ERR_UNSUPPORTED, diskann_cache_from_queries(h, queries, 4, K, &csp, 64, &cached));
    CHECK(cached == 7, "a refused cache call wrote its count");
    EXPECT(DISKANN_ERR_INVALID_HANDLE, diskann_cache_from_queries(0, queries, 4, K, &csp, 64, &cached));

    /* PQ compression in place */
    OK(diskann_compress_pq(h, 8));
    OK(diskann_stats(h, &s));
    CHECK(s.kind == DISKANN_KIND_PQ, "kind after compression %d", s.kind);
    double r = mean_recall(h, NULL, NULL);
    CHECK(r >= 0.9, "PQ recall@10 %.3f < 0.9", r);
    EXPECT(DISKANN_ERR_STATE, diskann_compress_pq(h, 8));
}

static void test_errors(diskann_index h) {
    int64_t ids[K];
    float dist[K];
    uint32_t found;
    float q[D];
    memcpy(q, queries, sizeof q);
    q[3] = NAN;
    EXPECT(DISKANN_ERR_INVALID_ARGUMENT, diskann_search(h, q, K, NULL, NULL, ids, dist, &found));
    CHECK(strstr(diskann_last_error(), "NaN") != NULL || strstr(diskann_last_error(), "component") != NULL,
          "NaN message: %s", diskann_last_error());
    EXPECT(DISKANN_ERR_INVALID_ARGUMENT, diskann_search(h, queries, 0, NULL, NULL, ids, dist, &found));
    EXPECT(DISKANN_ERR_INVALID_ARGUMENT, diskann_search(h, NULL, K, NULL, NULL, ids, dist, &found));
    EXPECT(DISKANN_ERR_INVALID_ARGUMENT, diskann_search(h, queries, K, NULL, NULL, NULL, dist, &found));
    diskann_search_params small = {5, 0};
    EXPECT(DISKANN_ERR_INVALID_ARGUMENT, diskann_search(h, queries, K, &small, NULL, ids, dist, &found));
    diskann_filter bad = {99, 0, NULL, NULL, 0};
    EXPECT(DISKANN_ERR_INVALID_ARGUMENT, diskann_search(h, queries, K, NULL, &bad, ids, dist, &found));
    EXPECT(DISKANN_ERR_INVALID_HANDLE, diskann_search(0, queries, K, NULL, NULL, ids, dist, &found));
    {
        /* a batch with one bad query fails as a whole, after every query's task ended (the bitset is on the
           stack and gone after this block) */
        float *qs = malloc(sizeof(float) * Q * D);
        memcpy(qs, queries, sizeof(float) * Q * D);
        qs[7 * D + 1] = NAN;
        uint64_t bits[(N + 63) / 64];
        memset(bits, 0xff, sizeof bits);
        diskann_filter bs = {DISKANN_FILTER_BITSET, 0, NULL, bits, N};
        int32_t l1 = 1;
        diskann_filter one = {DISKANN_FILTER_LABEL, 1, &l1, NULL, 0};
        int64_t *bids = malloc(sizeof(int64_t) * Q * K);
        float *bd = malloc(sizeof(float) * Q * K);
        uint32_t bf[Q];
        EXPECT(DISKANN_ERR_INVALID_ARGUMENT, diskann_batch_search(h, qs, Q, K, NULL, &bs, bids, bd, bf));
        EXPECT(DISKANN_ERR_INVALID_ARGUMENT, diskann_batch_search(h, qs, Q, K, NULL, &one, bids, bd, bf));
        free(qs);
        free(bids);
        free(bd);
    }
    EXPECT(DISKANN_ERR_INVALID_HANDLE, diskann_search(12345, queries, K, NULL, NULL, ids, dist, &found));
    diskann_index x;
    EXPECT(DISKANN_ERR_INVALID_ARGUMENT, diskann_create(0, DISKANN_METRIC_L2, NULL, &x));
    EXPECT(DISKANN_ERR_INVALID_ARGUMENT, diskann_create(8, 7, NULL, &x));
    OK(diskann_create(8, DISKANN_METRIC_COSINE, NULL, &x));
    EXPECT(DISKANN_ERR_STATE, diskann_search(x, queries, K, NULL, NULL, ids, dist, &found));
    OK(diskann_free(x));
    EXPECT(DISKANN_ERR_INVALID_HANDLE, diskann_free(x));
    EXPECT(DISKANN_ERR_INVALID_HANDLE, diskann_search(x, queries, K, NULL, NULL, ids, dist, &found));
    OK(diskann_search(h, queries, K, NULL, NULL, ids, dist, &found));
    CHECK(diskann_last_error()[0] == 0, "a successful call left an error message");
}

struct worker { diskann_index h; int seed; int bad; };

static void *search_worker(void *arg) {
    struct worker *w = arg;
    for (int i = 0; i < 300; i++) {
        int q = (w->seed * 31 + i) % Q;
        int64_t ids[K], want[K];
        float dist[K];
        uint32_t found;
        if (diskann_search(w->h, queries + (size_t)q * D, K, NULL, NULL, ids, dist, &found) != DISKANN_OK) {
            w->bad++;
            continue;
        }
        if (i % 3 == 0) {
            float v[D];
            for (int j = 0; j < D; j++) v[j] = rnd() * 0 + queries[(size_t)q * D + j] * 0.5f;
            int64_t id;
            int32_t lab = w->seed % LABELS;
            if (diskann_insert(w->h, v, &lab, 1, &id) != DISKANN_OK || diskann_delete(w->h, id) != DISKANN_OK) {
                w->bad++;
            }
        }
        (void)want;
    }
    return NULL;
}

static void test_threads(diskann_index h) {
    enum { T = 4 };
    pthread_t t[T];
    struct worker w[T];
    for (int i = 0; i < T; i++) {
        w[i] = (struct worker){h, i, 0};
        pthread_create(&t[i], NULL, search_worker, &w[i]);
    }
    for (int i = 0; i < T; i++) {
        pthread_join(t[i], NULL);
        CHECK(w[i].bad == 0, "thread %d had %d failed calls", i, w[i].bad);
    }
}

static long rss_kib(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "VmRSS:", 6) == 0) v = atol(line + 6);
    }
    if (f) fclose(f);
    return v;
}

static void test_cycles(void) {
    float v[4 * 8];
    for (int i = 0; i < 32; i++) v[i] = (float)(i % 8 == i / 8);
    long before = 0;
    for (int c = 0; c < 10000; c++) {
        if (c == 2000) before = rss_kib();
        diskann_index x;
        OK(diskann_create(8, DISKANN_METRIC_L2, NULL, &x));
        int64_t id;
        for (int i = 0; i < 4; i++) OK(diskann_insert(x, v + i * 8, NULL, 0, &id));
        int64_t ids[2];
        float dist[2];
        uint32_t found;
        OK(diskann_search(x, v + 8, 2, NULL, NULL, ids, dist, &found));
        CHECK(found == 2 && ids[0] == 1, "cycle %d: found %u, first %lld", c, found, (long long)ids[0]);
        OK(diskann_free(x));
    }
    long after = rss_kib();
    uint64_t open = 99;
    OK(diskann_open_handles(&open));
    printf("  10,000 create/insert/search/free cycles: RSS %ld KiB after 2,000, %ld KiB after 10,000; %llu handles open\n",
           before, after, (unsigned long long)open);
    CHECK(after - before < 64 * 1024, "RSS grew by %ld KiB over 8,000 cycles", after - before);
}

int main(void) {
    /* a bounded heap, committed and touched up front, so RSS measures leaks rather than the heap growing into
     * free memory: with -Xmx alone, one CI run's heap was still being committed after 2,000 cycles (RSS 202 MB
     * there, 365 MB at 10,000), where other runs were at 350 MB by then */
    const char *opts[] = {"-Xmx256m", "-Xms256m", "-XX:+AlwaysPreTouch"};
    OK(diskann_init(opts, 3));
    EXPECT(DISKANN_ERR_STATE, diskann_init(opts, 1));
    for (int i = 0; i < N * D; i++) base[i] = rnd();
    for (int i = 0; i < Q * D; i++) queries[i] = rnd();
    for (int i = 0; i < N; i++) labels[i] = (int32_t)((state >> 33) % LABELS), rnd();
    printf("libdiskann %s\n", diskann_version());
    diskann_index h = build_index();
    test_search_and_filters(h);
    test_batch_and_range(h);
    test_errors(h);
    test_threads(h);
    test_mutations_and_save(h);
    OK(diskann_free(h));
    test_cycles();
    uint64_t open = 1;
    OK(diskann_open_handles(&open));
    CHECK(open == 0, "%llu handles still open", (unsigned long long)open);
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("all C ABI tests passed\n");
    return 0;
}
