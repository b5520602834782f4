/*
 * Node-API addon over libdiskann (bindings/c/include/diskann.h). Low-level functions taking the index
 * handle as a BigInt; lib/index.js wraps them in the idiomatic Index and Filter classes. TypedArrays are
 * passed to the C library by address (no copies); build and batch search run on libuv's thread pool and
 * return Promises, holding references to their arrays until they finish.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diskann.h"

#define NAPI_CALL(env, call)                                                \
    do {                                                                    \
        if ((call) != napi_ok) {                                            \
            const napi_extended_error_info *info_;                          \
            napi_get_last_error_info((env), &info_);                        \
            bool pending_;                                                  \
            napi_is_exception_pending((env), &pending_);                    \
            if (!pending_) {                                                \
                napi_throw_error((env), NULL, info_->error_message ? info_->error_message : "N-API call failed"); \
            }                                                               \
            return NULL;                                                    \
        }                                                                   \
    } while (0)

static napi_value make_error(napi_env env, int status, const char *message) {
    napi_value msg, code, err, st;
    napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &msg);
    napi_create_string_utf8(env, diskann_status_name(status), NAPI_AUTO_LENGTH, &code);
    napi_create_error(env, code, msg, &err);
    napi_create_int32(env, status, &st);
    napi_set_named_property(env, err, "status", st);
    return err;
}

/* Throws the library's error for status; returns 1 if it threw. */
static int failed(napi_env env, int status) {
    if (status == DISKANN_OK) {
        return 0;
    }
    napi_throw(env, make_error(env, status, diskann_last_error()));
    return 1;
}

static int throw_arg(napi_env env, const char *message) {
    napi_throw_type_error(env, "DISKANN_ERR_INVALID_ARGUMENT", message);
    return 1;
}

static int get_handle(napi_env env, napi_value v, diskann_index *out) {
    bool lossless;
    if (napi_get_value_bigint_uint64(env, v, out, &lossless) != napi_ok) {
        return throw_arg(env, "the index handle must be a BigInt");
    }
    return 0;
}

static int get_u32(napi_env env, napi_value v, uint32_t *out, const char *what) {
    double d;
    if (napi_get_value_double(env, v, &d) != napi_ok || d < 0 || d > 4294967295.0 || d != (double)(uint32_t)d) {
        char buf[128];
        snprintf(buf, sizeof buf, "%s must be an integer in 0..2^32-1", what);
        return throw_arg(env, buf);
    }
    *out = (uint32_t)d;
    return 0;
}

/* A TypedArray of the given type (or null/undefined when allow_null): its data and element count. */
static int get_typed(napi_env env, napi_value v, napi_typedarray_type want, void **data, size_t *length,
                     int allow_null, const char *what) {
    napi_valuetype t;
    napi_typeof(env, v, &t);
    if (allow_null && (t == napi_null || t == napi_undefined)) {
        *data = NULL;
        *length = 0;
        return 0;
    }
    bool is;
    napi_is_typedarray(env, v, &is);
    napi_typedarray_type type;
    napi_value ab;
    size_t offset;
    if (!is || napi_get_typedarray_info(env, v, &type, length, data, &ab, &offset) != napi_ok || type != want) {
        char buf[160];
        static const char *names[] = {"Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array",
                                      "Int32Array", "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array",
                                      "BigUint64Array"};
        snprintf(buf, sizeof buf, "%s must be a %s", what, names[want]);
        return throw_arg(env, buf);
    }
    return 0;
}

static int get_string(napi_env env, napi_value v, char *buf, size_t cap, const char *what) {
    size_t len;
    if (napi_get_value_string_utf8(env, v, buf, cap, &len) != napi_ok || len + 1 >= cap) {
        char msg[128];
        snprintf(msg, sizeof msg, "%s must be a string shorter than %zu bytes", what, cap - 1);
        return throw_arg(env, msg);
    }
    return 0;
}

/* A filter object {kind, labels: Int32Array, bits: BigUint64Array, bitCount} or null. */
static int get_filter(napi_env env, napi_value v, diskann_filter *f, const diskann_filter **out) {
    napi_valuetype t;
    napi_typeof(env, v, &t);
    *out = NULL;
    if (t == napi_null || t == napi_undefined) {
        return 0;
    }
    if (t != napi_object) {
        return throw_arg(env, "filter must be a diskann Filter");
    }
    napi_value kind, labels, bits, count;
    napi_get_named_property(env, v, "kind", &kind);
    napi_get_named_property(env, v, "labels", &labels);
    napi_get_named_property(env, v, "bits", &bits);
    napi_get_named_property(env, v, "bitCount", &count);
    uint32_t k;
    if (get_u32(env, kind, &k, "filter.kind")) {
        return 1;
    }
    memset(f, 0, sizeof *f);
    f->kind = (int32_t)k;
    void *data;
    size_t len;
    if (get_typed(env, labels, napi_int32_array, &data, &len, 1, "filter.labels")) {
        return 1;
    }
    f->labels = data;
    f->label_count = (uint32_t)len;
    if (get_typed(env, bits, napi_biguint64_array, &data, &len, 1, "filter.bits")) {
        return 1;
    }
    f->bits = data;
    double bc = 0;
    napi_valuetype ct;
    napi_typeof(env, count, &ct);
    if (ct == napi_number) {
        napi_get_value_double(env, count, &bc);
    }
    f->bit_count = (uint64_t)bc;
    *out = f;
    return 0;
}

static napi_value handle_value(napi_env env, diskann_index h) {
    napi_value v;
    napi_create_bigint_uint64(env, h, &v);
    return v;
}

static napi_value undefined(napi_env env) {
    napi_value u;
    napi_get_undefined(env, &u);
    return u;
}

#define ARGS(n)                                                             \
    size_t argc = (n);                                                      \
    napi_value argv[(n) > 0 ? (n) : 1];                                     \
    NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));   \
    if (argc < (n)) {                                                       \
        throw_arg(env, "too few arguments");                                \
        return NULL;                                                        \
    }

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
    napi_get_value_double(env, argv[5], &alpha);
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
    int st = ids && dist ? diskann_search(h, q, k, &sp, fp, ids, dist, &found) : DISKANN_ERR_NO_MEMORY;
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
    napi_get_value_double(env, argv[2], &radius);
    uint64_t cap = 256, total = 0;
    for (;;) {
        int64_t *ids = malloc(cap * sizeof *ids);
        float *dist = malloc(cap * sizeof *dist);
        int st = ids && dist ? diskann_range_search(h, q, (float)radius, &sp, fp, ids, dist, cap, &total)
                             : DISKANN_ERR_NO_MEMORY;
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
    double id;
    if (get_handle(env, argv[0], &h)) {
        return NULL;
    }
    napi_get_value_double(env, argv[1], &id);
    if (failed(env, diskann_delete(h, (int64_t)id))) {
        return NULL;
    }
    return undefined(env);
}

static napi_value js_update(napi_env env, napi_callback_info info) {
    ARGS(4);
    diskann_index h;
    double id;
    void *v, *labels;
    size_t vlen, nlabels;
    if (get_handle(env, argv[0], &h) || get_typed(env, argv[2], napi_float32_array, &v, &vlen, 0, "vector") ||
        get_typed(env, argv[3], napi_int32_array, &labels, &nlabels, 1, "labels")) {
        return NULL;
    }
    napi_get_value_double(env, argv[1], &id);
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
    if (failed(env, diskann_update(h, (int64_t)id, v, lp, (uint32_t)nlabels))) {
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

/* ---- async work: build and batch search ------------------------------------------------------------ */

struct work {
    napi_async_work async;
    napi_deferred deferred;
    napi_ref refs[4];
    int nrefs;
    int is_batch;
    diskann_index h;
    int status;
    char error[1024];
    /* build */
    const float *vectors;
    uint64_t n;
    const uint64_t *offsets;
    const int32_t *labels;
    /* batch */
    const float *queries;
    uint32_t k;
    diskann_search_params sp;
    diskann_filter filter;
    int has_filter;
    int64_t *ids;
    float *dist;
    uint32_t *found;
};

static void work_execute(napi_env env, void *data) {
    (void)env;
    struct work *w = data;
    if (w->is_batch) {
        w->status = diskann_batch_search(w->h, w->queries, w->n, w->k, &w->sp, w->has_filter ? &w->filter : NULL,
                                         w->ids, w->dist, w->found);
    } else {
        w->status = diskann_build(w->h, w->vectors, w->n, w->offsets, w->labels);
    }
    if (w->status) {
        snprintf(w->error, sizeof w->error, "%s", diskann_last_error());
    }
}

static void work_complete(napi_env env, napi_status status, void *data) {
    struct work *w = data;
    if (status != napi_ok && w->status == 0) {
        w->status = DISKANN_ERR_INTERNAL;
        snprintf(w->error, sizeof w->error, "the work was cancelled");
    }
    if (w->status) {
        napi_reject_deferred(env, w->deferred, make_error(env, w->status, w->error));
    } else if (w->is_batch) {
        napi_value ab_i, ab_d, ab_f, ti, td, tf, obj;
        void *pi, *pd, *pf;
        size_t total = (size_t)w->n * w->k;
        napi_create_arraybuffer(env, total * 4, &pi, &ab_i);
        napi_create_arraybuffer(env, total * 4, &pd, &ab_d);
        napi_create_arraybuffer(env, w->n * 4, &pf, &ab_f);
        for (size_t i = 0; i < total; i++) {
            ((int32_t *)pi)[i] = (int32_t)w->ids[i];
        }
        if (total) {
            memcpy(pd, w->dist, total * 4);
        }
        if (w->n) {
            memcpy(pf, w->found, w->n * 4);
        }
        napi_create_typedarray(env, napi_int32_array, total, ab_i, 0, &ti);
        napi_create_typedarray(env, napi_float32_array, total, ab_d, 0, &td);
        napi_create_typedarray(env, napi_uint32_array, w->n, ab_f, 0, &tf);
        napi_create_object(env, &obj);
        napi_set_named_property(env, obj, "ids", ti);
        napi_set_named_property(env, obj, "distances", td);
        napi_set_named_property(env, obj, "found", tf);
        napi_resolve_deferred(env, w->deferred, obj);
    } else {
        napi_resolve_deferred(env, w->deferred, undefined(env));
    }
    for (int i = 0; i < w->nrefs; i++) {
        napi_delete_reference(env, w->refs[i]);
    }
    napi_delete_async_work(env, w->async);
    free(w->ids);
    free(w->dist);
    free(w->found);
    free(w);
}

static napi_value queue(napi_env env, struct work *w, const char *name) {
    napi_value promise, resource;
    napi_create_promise(env, &w->deferred, &promise);
    napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &resource);
    napi_create_async_work(env, NULL, resource, work_execute, work_complete, w, &w->async);
    napi_queue_async_work(env, w->async);
    return promise;
}

static void keep(napi_env env, struct work *w, napi_value v) {
    napi_valuetype t;
    napi_typeof(env, v, &t);
    if (t == napi_object) {
        napi_create_reference(env, v, 1, &w->refs[w->nrefs++]);
    }
}

static napi_value js_build(napi_env env, napi_callback_info info) {
    ARGS(5);
    struct work *w = calloc(1, sizeof *w);
    void *v, *off, *lab;
    size_t vlen, olen, llen;
    double n;
    if (!w || get_handle(env, argv[0], &w->h) || get_typed(env, argv[1], napi_float32_array, &v, &vlen, 0, "vectors") ||
        get_typed(env, argv[3], napi_biguint64_array, &off, &olen, 1, "labelOffsets") ||
        get_typed(env, argv[4], napi_int32_array, &lab, &llen, 1, "labels")) {
        free(w);
        return NULL;
    }
    napi_get_value_double(env, argv[2], &n);
    w->vectors = v;
    w->n = (uint64_t)n;
    w->offsets = off;
    w->labels = lab ? lab : (off ? (const int32_t *)"\0\0\0\0" : NULL);
    keep(env, w, argv[1]);
    keep(env, w, argv[3]);
    keep(env, w, argv[4]);
    return queue(env, w, "diskann.build");
}

static napi_value js_batch_search(napi_env env, napi_callback_info info) {
    ARGS(7);
    struct work *w = calloc(1, sizeof *w);
    void *q;
    size_t qlen;
    double nq;
    const diskann_filter *fp;
    if (!w || get_handle(env, argv[0], &w->h) || get_typed(env, argv[1], napi_float32_array, &q, &qlen, 0, "queries") ||
        get_u32(env, argv[3], &w->k, "k") || get_u32(env, argv[4], &w->sp.list_size, "listSize") ||
        get_u32(env, argv[5], &w->sp.beam_width, "beamWidth") || get_filter(env, argv[6], &w->filter, &fp)) {
        free(w);
        return NULL;
    }
    napi_get_value_double(env, argv[2], &nq);
    w->is_batch = 1;
    w->has_filter = fp != NULL;
    w->queries = q;
    w->n = (uint64_t)nq;
    if (w->k == 0 || w->k > 100000) {
        free(w);
        throw_arg(env, "k must be in 1..100000");
        return NULL;
    }
    size_t total = (size_t)w->n * w->k;
    w->ids = malloc(total ? total * sizeof(int64_t) : 8);
    w->dist = malloc(total ? total * sizeof(float) : 8);
    w->found = malloc(w->n ? w->n * sizeof(uint32_t) : 8);
    w->is_batch = 1;
    keep(env, w, argv[1]);
    keep(env, w, argv[6]); /* the filter object holds its labels and bits */
    return queue(env, w, "diskann.batchSearch");
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
        {"stats", NULL, js_stats, NULL, NULL, NULL, napi_default, NULL},
        {"openHandles", NULL, js_open_handles, NULL, NULL, NULL, napi_default, NULL},
    };
    napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
    return exports;
}
