/*
 * The C ABI of diskann-java: each function attaches the calling thread to the JVM (started on first use)
 * and calls one static method of io.diskann.capi.NativeBridge with the caller's buffers by address.
 */
#include "internal.h"

#include <stdint.h>
#include <stddef.h>
#include <string.h>

#define P(x) ((jlong)(uintptr_t)(x))
#define ERR P(diskann_t_err)

#define CALL(...)                                                                            \
    JNIEnv *env;                                                                             \
    int st_ = diskann_env(&env);                                                             \
    if (st_) {                                                                               \
        return st_;                                                                          \
    }                                                                                        \
    return diskann_finish(env, (*env)->CallStaticIntMethod(env, diskann_bridge, __VA_ARGS__))

const char *diskann_last_error(void) {
    return diskann_t_err;
}

const char *diskann_version(void) {
    return "0.1.0";
}

const char *diskann_status_name(int status) {
    switch (status) {
    case DISKANN_OK: return "DISKANN_OK";
    case DISKANN_ERR_INVALID_ARGUMENT: return "DISKANN_ERR_INVALID_ARGUMENT";
    case DISKANN_ERR_INVALID_HANDLE: return "DISKANN_ERR_INVALID_HANDLE";
    case DISKANN_ERR_STATE: return "DISKANN_ERR_STATE";
    case DISKANN_ERR_IO: return "DISKANN_ERR_IO";
    case DISKANN_ERR_CORRUPT: return "DISKANN_ERR_CORRUPT";
    case DISKANN_ERR_UNSUPPORTED: return "DISKANN_ERR_UNSUPPORTED";
    case DISKANN_ERR_NO_MEMORY: return "DISKANN_ERR_NO_MEMORY";
    case DISKANN_ERR_JVM: return "DISKANN_ERR_JVM";
    case DISKANN_ERR_INTERNAL: return "DISKANN_ERR_INTERNAL";
    default: return "DISKANN_ERR_UNKNOWN";
    }
}

void diskann_params_init(diskann_params *p) {
    if (!p) {
        return;
    }
    memset(p, 0, sizeof *p);
    p->struct_size = (uint32_t)sizeof *p;
    p->vector_type = DISKANN_TYPE_F32;
    p->filter_build = DISKANN_FILTER_BUILD_NONE;
}

int diskann_create(uint32_t dimensions, int32_t metric, const diskann_params *params, diskann_index *out) {
    CALL(diskann_m.create, (jint)dimensions, (jint)metric, P(params), P(out), ERR);
}

int diskann_build(diskann_index index, const float *vectors, uint64_t n, const uint64_t *label_offsets,
                  const int32_t *labels) {
    CALL(diskann_m.build, (jlong)index, P(vectors), (jlong)n, P(label_offsets), P(labels), ERR);
}

int diskann_load(const char *path, diskann_index *out) {
    CALL(diskann_m.load, P(path), P(out), ERR);
}

int diskann_load_pq(const char *path, diskann_index *out) {
    CALL(diskann_m.load_pq, P(path), P(out), ERR);
}

int diskann_open_disk(const char *path, const char *labels_path, uint32_t cache_nodes, diskann_index *out) {
    CALL(diskann_m.open_disk, P(path), P(labels_path), (jint)cache_nodes, P(out), ERR);
}

int diskann_save(diskann_index index, const char *path) {
    CALL(diskann_m.save, (jlong)index, P(path), ERR);
}

int diskann_free(diskann_index index) {
    CALL(diskann_m.free_, (jlong)index, ERR);
}

int diskann_search(diskann_index index, const float *query, uint32_t k, const diskann_search_params *params,
                   const diskann_filter *filter, int64_t *ids, float *distances, uint32_t *found) {
    CALL(diskann_m.search, (jlong)index, P(query), (jint)k, P(params), P(filter), P(ids), P(distances), P(found), ERR);
}

int diskann_batch_search(diskann_index index, const float *queries, uint64_t nq, uint32_t k,
                         const diskann_search_params *params, const diskann_filter *filter, int64_t *ids,
                         float *distances, uint32_t *found) {
    CALL(diskann_m.batch_search, (jlong)index, P(queries), (jlong)nq, (jint)k, P(params), P(filter), P(ids),
         P(distances), P(found), ERR);
}

int diskann_range_search(diskann_index index, const float *query, float radius, const diskann_search_params *params,
                         const diskann_filter *filter, int64_t *ids, float *distances, uint64_t capacity,
                         uint64_t *total) {
    CALL(diskann_m.range_search, (jlong)index, P(query), (jfloat)radius, P(params), P(filter), P(ids), P(distances),
         (jlong)capacity, P(total), ERR);
}

int diskann_insert(diskann_index index, const float *vector, const int32_t *labels, uint32_t label_count,
                   int64_t *id) {
    CALL(diskann_m.insert, (jlong)index, P(vector), P(labels), (jint)label_count, P(id), ERR);
}

int diskann_delete(diskann_index index, int64_t id) {
    CALL(diskann_m.delete_, (jlong)index, (jlong)id, ERR);
}

int diskann_update(diskann_index index, int64_t id, const float *vector, const int32_t *labels,
                   uint32_t label_count) {
    CALL(diskann_m.update, (jlong)index, (jlong)id, P(vector), P(labels), (jint)label_count, ERR);
}

int diskann_consolidate(diskann_index index, uint64_t *removed) {
    CALL(diskann_m.consolidate, (jlong)index, P(removed), ERR);
}

int diskann_stats(diskann_index index, diskann_index_stats *out) {
    CALL(diskann_m.stats, (jlong)index, P(out), ERR);
}

int diskann_compress_pq(diskann_index index, uint32_t pq_bytes) {
    CALL(diskann_m.compress_pq, (jlong)index, (jint)pq_bytes, ERR);
}

int diskann_cache_from_queries(diskann_index index, const float *queries, uint64_t nq, uint32_t k,
                               const diskann_search_params *params, uint32_t nodes, uint32_t *cached) {
    CALL(diskann_m.cache_from_queries, (jlong)index, P(queries), (jlong)nq, (jint)k, P(params), (jint)nodes, P(cached),
         ERR);
}

int diskann_open_handles(uint64_t *count) {
    if (!count) {
        return diskann_set_error(DISKANN_ERR_INVALID_ARGUMENT, "count is NULL");
    }
    JNIEnv *env;
    int st = diskann_env(&env);
    if (st) {
        return st;
    }
    jint n = (*env)->CallStaticIntMethod(env, diskann_bridge, diskann_m.open_handles);
    st = diskann_finish(env, 0);
    if (st == DISKANN_OK) {
        *count = (uint64_t)n;
    }
    return st;
}

/* The Java side reads and writes these structs at fixed offsets (NativeBridge, NativeFilter, *Index.stats). */
_Static_assert(sizeof(diskann_params) == 28, "diskann_params layout");
_Static_assert(sizeof(diskann_search_params) == 8, "diskann_search_params layout");
_Static_assert(sizeof(diskann_filter) == 32 && offsetof(diskann_filter, labels) == 8 &&
                   offsetof(diskann_filter, bits) == 16 && offsetof(diskann_filter, bit_count) == 24,
               "diskann_filter layout");
_Static_assert(sizeof(diskann_index_stats) == 40 && offsetof(diskann_index_stats, memory_bytes) == 24 &&
                   offsetof(diskann_index_stats, has_labels) == 32,
               "diskann_stats layout");
