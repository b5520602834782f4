/*
 * Node-API addon over libdiskann (bindings/c/include/diskann.h). Low-level functions taking the index
 * handle as a BigInt; lib/index.js wraps them in the idiomatic Index and Filter classes. TypedArrays are
 * passed to the C library by address (no copies); build and batch search run on libuv's thread pool and
 * return Promises, holding references to their arrays until they finish.
 */
#include "addon.h"

static napi_value js_version(napi_env env, napi_callback_info info) {
    (void)info;
    napi_value v;
    napi_create_string_utf8(env, diskann_version(), NAPI_AUTO_LENGTH, &v);
    return v;
}

static napi_value js_init(napi_env env, napi_callback_info info) {
    ARGS(1);
    uint32_t n;
    napi_get_array_length(env, argv[0], &n);
    if (n > 16) {
        throw_arg(env, "at most 16 JVM options");
        return NULL;
    }
    char bufs[16][512];
    const char *opts[16];
    for (uint32_t i = 0; i < n; i++) {
        napi_value s;
        napi_get_element(env, argv[0], i, &s);
        if (get_string(env, s, bufs[i], sizeof bufs[i], "a JVM option")) {
            return NULL;
        }
        opts[i] = bufs[i];
    }
    if (failed(env, diskann_init(opts, n))) {
        return NULL;
    }
    return undefined(env);
}

static napi_value js_create(napi_env env, napi_callback_info info) {
    ARGS(8);
    uint32_t dims, metric, type, r, l, threads, fb;
    double alpha;
    if (get_u32(env, argv[0], &dims, "dimensions") || get_u32(env, argv[1], &metric, "metric") ||
        get_u32(env, argv[2], &type, "vectorType") || get_u32(env, argv[3], &r, "maxDegree") ||
        get_u32(env, argv[4], &l, "buildListSize") || get_u32(env, argv[6], &threads, "threads") ||
        get_u32(env, argv[7], &fb, "filterBuild")) {
        return NULL;
    }
    if (get_number(env, argv[5], &alpha, "alpha")) {
        return NULL;
    }
    diskann_params p;
    diskann_params_init(&p);
    p.vector_type = (int32_t)type;
    p.max_degree = r;
    p.build_list_size = l;
    p.alpha = (float)alpha;
    p.threads = threads;
    p.filter_build = (int32_t)fb;
    diskann_index h = 0;
    if (failed(env, diskann_create(dims, (int32_t)metric, &p, &h))) {
        return NULL;
    }
    return handle_value(env, h);
}

static napi_value js_load(napi_env env, napi_callback_info info) {
    ARGS(2);
    char path[4096];
    uint32_t pq;
    if (get_string(env, argv[0], path, sizeof path, "path") || get_u32(env, argv[1], &pq, "pq")) {
        return NULL;
    }
    diskann_index h = 0;
    if (failed(env, pq ? diskann_load_pq(path, &h) : diskann_load(path, &h))) {
        return NULL;
    }
    return handle_value(env, h);
}

static napi_value js_open_disk(napi_env env, napi_callback_info info) {
    ARGS(3);
    char path[4096], labels[4096];
    uint32_t cache;
    napi_valuetype t;
    napi_typeof(env, argv[1], &t);
    int has_labels = !(t == napi_null || t == napi_undefined);
    if (get_string(env, argv[0], path, sizeof path, "path") ||
        (has_labels && get_string(env, argv[1], labels, sizeof labels, "labelsPath")) ||
        get_u32(env, argv[2], &cache, "cacheNodes")) {
        return NULL;
    }
    diskann_index h = 0;
    if (failed(env, diskann_open_disk(path, has_labels ? labels : NULL, cache, &h))) {
        return NULL;
    }
    return handle_value(env, h);
}

static napi_value js_free(napi_env env, napi_callback_info info) {
    ARGS(1);
    diskann_index h;
    if (get_handle(env, argv[0], &h) || failed(env, diskann_free(h))) {
        return NULL;
    }
    return undefined(env);
}

static napi_value js_save(napi_env env, napi_callback_info info) {
    ARGS(2);
    diskann_index h;
    char path[4096];
    if (get_handle(env, argv[0], &h) || get_string(env, argv[1], path, sizeof path, "path") ||
        failed(env, diskann_save(h, path))) {
        return NULL;
    }
    return undefined(env);
}

/* Results {ids: Int32Array, distances: Float32Array} of the first n of a search's k entries. */
static napi_value results(napi_env env, const int64_t *ids, const float *dist, size_t n) {
    napi_value ab_i, ab_d, ti, td, obj;
    void *pi, *pd;
    napi_create_arraybuffer(env, n * 4, &pi, &ab_i);
    napi_create_arraybuffer(env, n * 4, &pd, &ab_d);
    for (size_t i = 0; i < n; i++) {
        ((int32_t *)pi)[i] = (int32_t)ids[i];
    }
    if (n) {
        memcpy(pd, dist, n * 4);
    }
    napi_create_typedarray(env, napi_int32_array, n, ab_i, 0, &ti);
    napi_create_typedarray(env, napi_float32_array, n, ab_d, 0, &td);
    napi_create_object(env, &obj);
    napi_set_named_property(env, obj, "ids", ti);
    napi_set_named_property(env, obj, "distances", td);
    return obj;
}

static napi_value js_search(napi_env env, napi_callback_info info) {
    ARGS(6);
    diskann_index h;
    void *q;
    size_t qlen;
    uint32_t k;
    diskann_search_params sp;
    diskann_filter f;
    const diskann_filter *fp;
    if (get_handle(env, argv[0], &h) || get_typed(env, argv[1], napi_float32_array, &q, &qlen, 0, "query") ||
        get_u32(env, argv[2], &k, "k") || get_u32(env, argv[3], &sp.list_size, "listSize") ||
        get_u32(env, argv[4], &sp.beam_width, "beamWidth") || get_filter(env, argv[5], &f, &fp)) {
        return NULL;
    }
    if (k == 0 || k > 1000000) {
        throw_arg(env, "k must be in 1..1000000");
        return NULL;
    }
    int64_t small_ids[64];
    float small_d[64];
    int64_t *ids = k <= 64 ? small_ids : malloc(k * sizeof *ids);
    float *dist = k <= 64 ? small_d : malloc(k * sizeof *dist);
    uint32_t found = 0;
    if (!ids || !dist) {
        if (k > 64) {
            free(ids);
            free(dist);
        }
        napi_throw_error(env, "DISKANN_ERR_NO_MEMORY", "out of memory for the results");
        return NULL;
    }
    int st = diskann_search(h, q, k, &sp, fp, ids, dist, &found);
    napi_value out = st == DISKANN_OK ? results(env, ids, dist, found) : NULL;
    if (k > 64) {
        free(ids);
        free(dist);
    }
    if (failed(env, st)) {
        return NULL;
    }
    return out;
}

static napi_value js_range_search(napi_env env, napi_callback_info info) {
    ARGS(6);
    diskann_index h;
    void *q;
    size_t qlen;
    double radius;
    diskann_search_params sp;
    diskann_filter f;
    const diskann_filter *fp;
    if (get_handle(env, argv[0], &h) || get_typed(env, argv[1], napi_float32_array, &q, &qlen, 0, "query") ||
        get_u32(env, argv[3], &sp.list_size, "listSize") || get_u32(env, argv[4], &sp.beam_width, "beamWidth") ||
        get_filter(env, argv[5], &f, &fp)) {
        return NULL;
    }
    if (get_number(env, argv[2], &radius, "radius")) {
        return NULL;
    }
    uint64_t cap = 256, total = 0;
    for (;;) {
        int64_t *ids = malloc(cap * sizeof *ids);
        float *dist = malloc(cap * sizeof *dist);
        if (!ids || !dist) {
            free(ids);
            free(dist);
            napi_throw_error(env, "DISKANN_ERR_NO_MEMORY", "out of memory for the results");
            return NULL;
        }
        int st = diskann_range_search(h, q, (float)radius, &sp, fp, ids, dist, cap, &total);
        napi_value out = st == DISKANN_OK && total <= cap ? results(env, ids, dist, total) : NULL;
        free(ids);
        free(dist);
        if (failed(env, st)) {
            return NULL;
        }
        if (out) {
            return out;
        }
        cap = total;
    }
}

static napi_value js_insert(napi_env env, napi_callback_info info) {
    ARGS(3);
    diskann_index h;
    void *v, *labels;
    size_t vlen, nlabels;
    if (get_handle(env, argv[0], &h) || get_typed(env, argv[1], napi_float32_array, &v, &vlen, 0, "vector") ||
        get_typed(env, argv[2], napi_int32_array, &labels, &nlabels, 1, "labels")) {
        return NULL;
    }
    int64_t id = -1;
    if (failed(env, diskann_insert(h, v, labels, (uint32_t)nlabels, &id))) {
        return NULL;
    }
    napi_value out;
    napi_create_double(env, (double)id, &out);
    return out;
}

static napi_value js_delete(napi_env env, napi_callback_info info) {
    ARGS(2);
    diskann_index h;
    int64_t id;
    if (get_handle(env, argv[0], &h) || get_id(env, argv[1], &id, "id")) {
        return NULL;
    }
    if (failed(env, diskann_delete(h, id))) {
        return NULL;
    }
    return undefined(env);
}

static napi_value js_update(napi_env env, napi_callback_info info) {
    ARGS(4);
    diskann_index h;
    int64_t id;
    void *v, *labels;
    size_t vlen, nlabels;
    if (get_handle(env, argv[0], &h) || get_id(env, argv[1], &id, "id") ||
        get_typed(env, argv[2], napi_float32_array, &v, &vlen, 0, "vector") ||
        get_typed(env, argv[3], napi_int32_array, &labels, &nlabels, 1, "labels")) {
        return NULL;
    }
    static const int32_t none = 0;
    /* an empty Int32Array clears the labels; null keeps them */
    const int32_t *lp = labels ? labels : NULL;
    if (labels == NULL) {
        napi_valuetype t;
        napi_typeof(env, argv[3], &t);
        if (!(t == napi_null || t == napi_undefined)) {
            lp = &none;
        }
    }
    if (failed(env, diskann_update(h, id, v, lp, (uint32_t)nlabels))) {
        return NULL;
    }
    return undefined(env);
}

static napi_value js_consolidate(napi_env env, napi_callback_info info) {
    ARGS(1);
    diskann_index h;
    uint64_t removed = 0;
    if (get_handle(env, argv[0], &h) || failed(env, diskann_consolidate(h, &removed))) {
        return NULL;
    }
    napi_value out;
    napi_create_double(env, (double)removed, &out);
    return out;
}

static napi_value js_compress(napi_env env, napi_callback_info info) {
    ARGS(2);
    diskann_index h;
    uint32_t m;
    if (get_handle(env, argv[0], &h) || get_u32(env, argv[1], &m, "pqBytes") || failed(env, diskann_compress_pq(h, m))) {
        return NULL;
    }
    return undefined(env);
}

/* Synchronous: the sample is searched on the calling thread (a setup step, as opening the index). */
static napi_value js_cache_from_queries(napi_env env, napi_callback_info info) {
    ARGS(7);
    diskann_index h;
    void *q;
    size_t qlen;
    uint32_t nq, k, nodes, cached = 0;
    diskann_search_params sp;
    if (get_handle(env, argv[0], &h) || get_typed(env, argv[1], napi_float32_array, &q, &qlen, 0, "queries") ||
        get_u32(env, argv[2], &nq, "nq") || get_u32(env, argv[3], &k, "k") ||
        get_u32(env, argv[4], &sp.list_size, "listSize") || get_u32(env, argv[5], &sp.beam_width, "beamWidth") ||
        get_u32(env, argv[6], &nodes, "nodes") ||
        failed(env, diskann_cache_from_queries(h, q, nq, k, &sp, nodes, &cached))) {
        return NULL;
    }
    napi_value out;
    napi_create_double(env, (double)cached, &out);
    return out;
}

static void set_num(napi_env env, napi_value obj, const char *name, double v) {
    napi_value x;
    napi_create_double(env, v, &x);
    napi_set_named_property(env, obj, name, x);
}

static napi_value js_stats(napi_env env, napi_callback_info info) {
    ARGS(1);
    diskann_index h;
    diskann_index_stats s;
    if (get_handle(env, argv[0], &h) || failed(env, diskann_stats(h, &s))) {
        return NULL;
    }
    napi_value obj;
    napi_create_object(env, &obj);
    set_num(env, obj, "count", (double)s.count);
    set_num(env, obj, "dimensions", s.dimensions);
    set_num(env, obj, "metric", s.metric);
    set_num(env, obj, "vectorType", s.vector_type);
    set_num(env, obj, "kind", s.kind);
    set_num(env, obj, "memoryBytes", (double)s.memory_bytes);
    set_num(env, obj, "hasLabels", s.has_labels);
    set_num(env, obj, "filterBuild", s.filter_build);
    return obj;
}

static napi_value js_open_handles(napi_env env, napi_callback_info info) {
    (void)info;
    uint64_t n = 0;
    if (failed(env, diskann_open_handles(&n))) {
        return NULL;
    }
    napi_value out;
    napi_create_double(env, (double)n, &out);
    return out;
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
    napi_property_descriptor props[] = {
        {"version", NULL, js_version, NULL, NULL, NULL, napi_default, NULL},
        {"init", NULL, js_init, NULL, NULL, NULL, napi_default, NULL},
        {"create", NULL, js_create, NULL, NULL, NULL, napi_default, NULL},
        {"load", NULL, js_load, NULL, NULL, NULL, napi_default, NULL},
        {"openDisk", NULL, js_open_disk, NULL, NULL, NULL, napi_default, NULL},
        {"free", NULL, js_free, NULL, NULL, NULL, napi_default, NULL},
        {"save", NULL, js_save, NULL, NULL, NULL, napi_default, NULL},
        {"build", NULL, js_build, NULL, NULL, NULL, napi_default, NULL},
        {"search", NULL, js_search, NULL, NULL, NULL, napi_default, NULL},
        {"batchSearch", NULL, js_batch_search, NULL, NULL, NULL, napi_default, NULL},
        {"rangeSearch", NULL, js_range_search, NULL, NULL, NULL, napi_default, NULL},
        {"insert", NULL, js_insert, NULL, NULL, NULL, napi_default, NULL},
        {"delete", NULL, js_delete, NULL, NULL, NULL, napi_default, NULL},
        {"update", NULL, js_update, NULL, NULL, NULL, napi_default, NULL},
        {"consolidate", NULL, js_consolidate, NULL, NULL, NULL, napi_default, NULL},
        {"compressPq", NULL, js_compress, NULL, NULL, NULL, napi_default, NULL},
        {"cacheFromQueries", NULL, js_cache_from_queries, NULL, NULL, NULL, napi_default, NULL},
        {"stats", NULL, js_stats, NULL, NULL, NULL, napi_default, NULL},
        {"openHandles", NULL, js_open_handles, NULL, NULL, NULL, napi_default, NULL},
    };
    napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
    return exports;
}
