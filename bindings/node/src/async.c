/* build() and batchSearch(): work on libuv's thread pool, settled as Promises. */
#include "addon.h"

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

napi_value js_build(napi_env env, napi_callback_info info) {
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

napi_value js_batch_search(napi_env env, napi_callback_info info) {
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

