/* build() and batchSearch(): work on libuv's thread pool, settled as Promises. */
#include "addon.h"

/* ---- async work: build and batch search ------------------------------------------------------------ */

struct work {
    napi_async_work async;
    napi_deferred deferred;
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
    /* copies of the inputs, owned by the work: a TypedArray's buffer may be detached or transferred while
       the work runs on another thread, so the library never reads JavaScript memory off the main thread */
    void *owned[5];
};

static void free_work(struct work *w);

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
    napi_delete_async_work(env, w->async);
    free_work(w);
}

static napi_value queue(napi_env env, struct work *w, const char *name) {
    napi_value promise, resource;
    napi_create_promise(env, &w->deferred, &promise);
    napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &resource);
    napi_create_async_work(env, NULL, resource, work_execute, work_complete, w, &w->async);
    napi_queue_async_work(env, w->async);
    return promise;
}

/* A copy of bytes into memory the work owns (slot i); NULL stays NULL. Returns 0 when out of memory. */
static int own(struct work *w, int i, const void *src, size_t bytes, const void **dst) {
    if (!src) {
        *dst = NULL;
        return 1;
    }
    w->owned[i] = malloc(bytes ? bytes : 1);
    if (!w->owned[i]) {
        return 0;
    }
    memcpy(w->owned[i], src, bytes);
    *dst = w->owned[i];
    return 1;
}

static void free_work(struct work *w) {
    for (int i = 0; i < 5; i++) {
        free(w->owned[i]);
    }
    free(w->ids);
    free(w->dist);
    free(w->found);
    free(w);
}

static napi_value out_of_memory(napi_env env, struct work *w) {
    free_work(w);
    napi_throw_error(env, "DISKANN_ERR_NO_MEMORY", "out of memory copying the inputs");
    return NULL;
}

napi_value js_build(napi_env env, napi_callback_info info) {
    ARGS(5);
    struct work *w = calloc(1, sizeof *w);
    void *v, *off, *lab;
    size_t vlen, olen, llen;
    int64_t n;
    if (!w || get_handle(env, argv[0], &w->h) || get_typed(env, argv[1], napi_float32_array, &v, &vlen, 0, "vectors") ||
        get_id(env, argv[2], &n, "n") || get_typed(env, argv[3], napi_biguint64_array, &off, &olen, 1, "labelOffsets") ||
        get_typed(env, argv[4], napi_int32_array, &lab, &llen, 1, "labels")) {
        free(w);
        return NULL;
    }
    if (n < 1 || vlen % (size_t)n != 0 || (off && olen != (size_t)n + 1)) {
        free(w);
        throw_arg(env, "vectors must hold n rows and labelOffsets n + 1 entries");
        return NULL;
    }
    if (off && ((const uint64_t *)off)[n] > llen) {
        free(w);
        throw_arg(env, "labelOffsets point past the end of labels");
        return NULL;
    }
    w->n = (uint64_t)n;
    const void *p;
    if (!own(w, 0, v, vlen * sizeof(float), &p)) return out_of_memory(env, w);
    w->vectors = p;
    if (!own(w, 1, off, olen * sizeof(uint64_t), &p)) return out_of_memory(env, w);
    w->offsets = p;
    if (!own(w, 2, off ? (lab ? lab : (const void *)"\0\0\0\0") : NULL, lab ? llen * sizeof(int32_t) : 4, &p)) {
        return out_of_memory(env, w);
    }
    w->labels = p;
    return queue(env, w, "diskann.build");
}

napi_value js_batch_search(napi_env env, napi_callback_info info) {
    ARGS(7);
    struct work *w = calloc(1, sizeof *w);
    void *q;
    size_t qlen;
    int64_t nq;
    const diskann_filter *fp;
    if (!w || get_handle(env, argv[0], &w->h) || get_typed(env, argv[1], napi_float32_array, &q, &qlen, 0, "queries") ||
        get_id(env, argv[2], &nq, "nq") || get_u32(env, argv[3], &w->k, "k") ||
        get_u32(env, argv[4], &w->sp.list_size, "listSize") || get_u32(env, argv[5], &w->sp.beam_width, "beamWidth") ||
        get_filter(env, argv[6], &w->filter, &fp)) {
        free(w);
        return NULL;
    }
    if (w->k == 0 || w->k > 100000 || nq < 0 || (nq > 0 && qlen % (size_t)nq != 0)) {
        free(w);
        throw_arg(env, "k must be in 1..100000 and queries must hold nq rows");
        return NULL;
    }
    w->is_batch = 1;
    w->has_filter = fp != NULL;
    w->n = (uint64_t)nq;
    const void *p;
    if (!own(w, 0, q, qlen * sizeof(float), &p)) return out_of_memory(env, w);
    w->queries = p;
    if (fp) {
        if (!own(w, 1, w->filter.labels, w->filter.label_count * sizeof(int32_t), &p)) return out_of_memory(env, w);
        w->filter.labels = p;
        if (!own(w, 2, w->filter.bits, (w->filter.bit_count + 63) / 64 * sizeof(uint64_t), &p)) {
            return out_of_memory(env, w);
        }
        w->filter.bits = p;
    }
    size_t total = (size_t)w->n * w->k;
    w->ids = malloc(total ? total * sizeof(int64_t) : 8);
    w->dist = malloc(total ? total * sizeof(float) : 8);
    w->found = malloc(w->n ? w->n * sizeof(uint32_t) : 8);
    if (!w->ids || !w->dist || !w->found) return out_of_memory(env, w);
    return queue(env, w, "diskann.batchSearch");
}
