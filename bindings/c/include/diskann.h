/*
 * diskann.h: the C ABI of diskann-java, a pure-Java DiskANN (approximate nearest-neighbour search).
 *
 * Every language binding (Python, Node.js, Go, C#) sits on this header. The library starts a JVM inside
 * the calling process through the JNI Invocation API on first use (or reuses one that already runs),
 * and every call goes straight to the Java index with the caller's buffers read and written in place:
 * nothing is copied through JNI arrays and nothing is kept past the call.
 *
 * Conventions
 *   - Every function returns a diskann_status. DISKANN_OK is 0; on anything else diskann_last_error()
 *     returns this thread's message (the Java exception's text, or why the JVM could not start). No
 *     Java exception, crash or abort reaches the caller.
 *   - Indexes are opaque handles (diskann_index, a 64-bit number). 0 is never a valid handle. A handle
 *     is never reused: calling with a freed handle (use after free, double free) returns
 *     DISKANN_ERR_INVALID_HANDLE.
 *   - Buffers are owned by the caller. Ids are int64 (the index numbers vectors 0, 1, 2, ...);
 *     distances are float32, smaller is closer in every metric (inner product is negated).
 *   - Thread-safety: every function may be called from any thread, concurrently, on the same handle,
 *     as the Java index allows (searches, inserts, updates and deletes run side by side; see
 *     docs/DESIGN.md). diskann_free waits for calls in flight on that handle, then frees it; calls that
 *     start afterwards get DISKANN_ERR_INVALID_HANDLE. Calling threads are attached to the JVM on first
 *     use and detached when they exit.
 *
 * Finding Java: DISKANN_JAVA_HOME, then JAVA_HOME, then the newest JDK >= 25 under /usr/lib/jvm (the
 * rules of ./diskann). Finding the library's jars: DISKANN_CLASSPATH (a ':'-separated class path), else
 * every jar in the "jars" directory beside this shared library. Extra JVM options (e.g. -Xmx8g):
 * DISKANN_JVM_OPTS (space separated), or diskann_init() before any other call.
 */
#ifndef DISKANN_H
#define DISKANN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DISKANN_ABI_VERSION 1

#if defined(__GNUC__)
#define DISKANN_API __attribute__((visibility("default")))
#else
#define DISKANN_API
#endif

typedef enum diskann_status {
    DISKANN_OK = 0,
    DISKANN_ERR_INVALID_ARGUMENT = 1, /* bad dimension, NaN, k < 1, unknown id, bad label, ... */
    DISKANN_ERR_INVALID_HANDLE = 2,   /* 0, never created, or already freed */
    DISKANN_ERR_STATE = 3,            /* e.g. searching an empty index, building twice */
    DISKANN_ERR_IO = 4,               /* missing file, permission, disk full */
    DISKANN_ERR_CORRUPT = 5,          /* checksum mismatch, truncated file, wrong format version */
    DISKANN_ERR_UNSUPPORTED = 6,      /* the operation does not apply to this kind of index */
    DISKANN_ERR_NO_MEMORY = 7,        /* the JVM ran out of heap (raise it with -Xmx in DISKANN_JVM_OPTS) */
    DISKANN_ERR_JVM = 8,              /* the JVM could not be found, started or attached */
    DISKANN_ERR_INTERNAL = 9          /* a bug: please report the message */
} diskann_status;

typedef enum diskann_metric {
    DISKANN_METRIC_L2 = 0,
    DISKANN_METRIC_COSINE = 1,
    DISKANN_METRIC_INNER_PRODUCT = 2
} diskann_metric;

typedef enum diskann_vector_type {
    DISKANN_TYPE_F32 = 0,
    DISKANN_TYPE_F16 = 1,
    DISKANN_TYPE_I8 = 2,
    DISKANN_TYPE_U8 = 3
} diskann_vector_type;

/* How the graph is built when vectors carry labels (see docs/DESIGN.md, "Filters"). */
typedef enum diskann_filter_build {
    DISKANN_FILTER_BUILD_NONE = 0,     /* plain Vamana; filters run inside the search */
    DISKANN_FILTER_BUILD_FILTERED = 1, /* Filtered-Vamana */
    DISKANN_FILTER_BUILD_STITCHED = 2  /* Stitched-Vamana */
} diskann_filter_build;

typedef enum diskann_index_kind {
    DISKANN_KIND_MEMORY = 0, /* in-memory Vamana graph: every operation */
    DISKANN_KIND_PQ = 1,     /* graph walked on PQ codes, re-ranked: search only, and save */
    DISKANN_KIND_DISK = 2    /* SSD-resident index: search only */
} diskann_index_kind;

typedef uint64_t diskann_index;

/* Build parameters. Fill with diskann_params_init, then change what you need; 0 keeps a default. */
typedef struct diskann_params {
    uint32_t struct_size;      /* sizeof(diskann_params), set by diskann_params_init */
    int32_t vector_type;       /* diskann_vector_type stored; default F32 */
    uint32_t max_degree;       /* R; default 64 */
    uint32_t build_list_size;  /* L_build; default 64, or R if larger (48, or 3R/4, for builds of 500,000+) */
    float alpha;               /* robust-prune alpha; default 1.2 */
    uint32_t threads;          /* build and batch-search threads; default: all cores */
    int32_t filter_build;      /* diskann_filter_build; default NONE */
} diskann_params;

/* Per-search parameters; NULL means defaults. */
typedef struct diskann_search_params {
    uint32_t list_size;        /* L; 0 = default for k */
    uint32_t beam_width;       /* W, reads per round on the disk index; 0 = default */
} diskann_search_params;

typedef enum diskann_filter_kind {
    DISKANN_FILTER_NONE = 0,
    DISKANN_FILTER_LABEL = 1,  /* labels[0] */
    DISKANN_FILTER_ANY = 2,    /* any of labels[0..label_count) (OR) */
    DISKANN_FILTER_ALL = 3,    /* all of labels[0..label_count) (AND) */
    DISKANN_FILTER_BITSET = 4  /* ids whose bit is set: bit (id % 64) of bits[id / 64]; ids >= bit_count fail */
} diskann_filter_kind;

/* A query filter; read during the call only. NULL or kind NONE: no filter. */
typedef struct diskann_filter {
    int32_t kind;              /* diskann_filter_kind */
    uint32_t label_count;
    const int32_t *labels;
    const uint64_t *bits;
    uint64_t bit_count;
} diskann_filter;

typedef struct diskann_index_stats {
    uint64_t count;            /* searchable vectors */
    uint32_t dimensions;
    int32_t metric;            /* diskann_metric */
    int32_t vector_type;       /* diskann_vector_type */
    int32_t kind;              /* diskann_index_kind */
    uint64_t memory_bytes;     /* RAM the index holds (vectors, graph, codes, labels) */
    int32_t has_labels;        /* 1 if label filters apply */
    int32_t filter_build;      /* diskann_filter_build of the graph */
} diskann_index_stats;

/* The message of this thread's last failed call ("" if none). Valid until this thread's next call. */
DISKANN_API const char *diskann_last_error(void);

/* A name for a status code, e.g. "DISKANN_ERR_CORRUPT". */
DISKANN_API const char *diskann_status_name(int status);

/* The library's version string, e.g. "0.1.0". */
DISKANN_API const char *diskann_version(void);

/* Optional: starts the JVM now with extra options (e.g. "-Xmx8g"), before any other call. Options given
 * after the JVM started are rejected with DISKANN_ERR_STATE. */
DISKANN_API int diskann_init(const char *const *jvm_options, uint32_t option_count);

DISKANN_API void diskann_params_init(diskann_params *params);

/* A new, empty in-memory index. params may be NULL (defaults). */
DISKANN_API int diskann_create(uint32_t dimensions, int32_t metric, const diskann_params *params, diskann_index *out);

/* Builds the graph over n vectors (row-major, n x dimensions floats) as ids 0..n-1, on an empty index.
 * Labels are optional (NULL): vector i carries labels[label_offsets[i] .. label_offsets[i+1]), so
 * label_offsets has n+1 entries. Labels are ints in 0 .. 2^24-1. */
DISKANN_API int diskann_build(diskann_index index, const float *vectors, uint64_t n,
                  const uint64_t *label_offsets, const int32_t *labels);

/* Loads an in-memory index saved by diskann_save (or by the Java API), with its labels if it has any. */
DISKANN_API int diskann_load(const char *path, diskann_index *out);

/* Loads a PQ index saved by diskann_save on a PQ handle. */
DISKANN_API int diskann_load_pq(const char *path, diskann_index *out);

/* Opens an SSD-resident index written by `./diskann build-disk`; labels_path (Microsoft DiskANN's label
 * file format, one line per point) may be NULL. cache_nodes: nodes kept in RAM (0 = none). */
DISKANN_API int diskann_open_disk(const char *path, const char *labels_path, uint32_t cache_nodes, diskann_index *out);

/* Writes the index to path atomically (a crash leaves the old file or the new one). */
DISKANN_API int diskann_save(diskann_index index, const char *path);

/* Frees the index. Freeing twice returns DISKANN_ERR_INVALID_HANDLE. */
DISKANN_API int diskann_free(diskann_index index);

/* The k nearest neighbours of query (k in 1..2^20). ids and distances hold k entries; the first *found
 * (<= k) are filled, closest first, and the rest get id -1 and distance +inf. filter may be NULL. */
DISKANN_API int diskann_search(diskann_index index, const float *query, uint32_t k, const diskann_search_params *params,
                   const diskann_filter *filter, int64_t *ids, float *distances, uint32_t *found);

/* nq queries (row-major) searched in parallel; query i's results go to ids[i*k ..], distances[i*k ..],
 * found[i]. */
DISKANN_API int diskann_batch_search(diskann_index index, const float *queries, uint64_t nq, uint32_t k,
                         const diskann_search_params *params, const diskann_filter *filter,
                         int64_t *ids, float *distances, uint32_t *found);

/* Every vector within radius of query the search finds, closest first. Up to capacity results are
 * written; *total is how many there were (call again with a larger buffer if *total > capacity). */
DISKANN_API int diskann_range_search(diskann_index index, const float *query, float radius, const diskann_search_params *params,
                         const diskann_filter *filter, int64_t *ids, float *distances, uint64_t capacity,
                         uint64_t *total);

/* Inserts a vector with its labels (labels may be NULL when label_count is 0); *id receives its id. */
DISKANN_API int diskann_insert(diskann_index index, const float *vector, const int32_t *labels, uint32_t label_count,
                   int64_t *id);

/* Deletes id (lazily: searches stop returning it at once; diskann_consolidate reclaims its space). */
DISKANN_API int diskann_delete(diskann_index index, int64_t id);

/* Replaces id's vector; labels NULL keeps its labels, otherwise they are replaced. */
DISKANN_API int diskann_update(diskann_index index, int64_t id, const float *vector, const int32_t *labels,
                   uint32_t label_count);

/* Removes deleted vectors from the graph; *removed (may be NULL) receives how many. */
DISKANN_API int diskann_consolidate(diskann_index index, uint64_t *removed);

DISKANN_API int diskann_stats(diskann_index index, diskann_index_stats *out);

/* Compresses an in-memory index in place with product quantization (pq_bytes code bytes per vector;
 * 0 = dimensions/8): unfiltered and bitset-filtered searches then walk the codes and re-rank with the full
 * vectors; inserts, updates and deletes keep the codes in step. Label filters keep planning on the full
 * vectors. diskann_save writes the graph and labels, not the codes: compress again after loading. */
DISKANN_API int diskann_compress_pq(diskann_index index, uint32_t pq_bytes);

/* SSD-resident index only (DISKANN_ERR_UNSUPPORTED otherwise): replaces its node cache with the sectors that
 * searching the nq sample queries (row-major; k and params as diskann_search) reads most, holding up to
 * nodes nodes in RAM, rounded to whole sectors (0 empties the cache). This is Microsoft DiskANN's
 * generate_cache_list_from_sample_queries. Use a sample of expected queries or of the base. Results of later
 * searches do not change, only how many reads they make. Searches may run meanwhile. *cached (may be NULL)
 * receives the number of nodes now cached. */
DISKANN_API int diskann_cache_from_queries(diskann_index index, const float *queries, uint64_t nq, uint32_t k,
                               const diskann_search_params *params, uint32_t nodes, uint32_t *cached);

/* How many handles are open in this process (for leak checks). */
DISKANN_API int diskann_open_handles(uint64_t *count);

#ifdef __cplusplus
}
#endif
#endif /* DISKANN_H */
