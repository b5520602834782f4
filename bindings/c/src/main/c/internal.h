/* Shared between the C files of libdiskann; not installed. */
#ifndef DISKANN_INTERNAL_H
#define DISKANN_INTERNAL_H

#include <jni.h>
#include <pthread.h>

#include "diskann.h"

/* Must equal NativeBridge.ERROR_CAPACITY. */
#define DISKANN_ERROR_CAPACITY 4096

extern __thread char diskann_t_err[DISKANN_ERROR_CAPACITY];
extern jclass diskann_bridge;

struct diskann_methods {
    jmethodID create, build, load, load_pq, open_disk, save, free_, search, batch_search, range_search, insert,
        delete_, update, consolidate, stats, compress_pq, cache_from_queries, open_handles;
};
extern struct diskann_methods diskann_m;

/* Starts the JVM on first use and attaches this thread; clears this thread's error. */
int diskann_env(JNIEnv **env);
/* The status of a bridge call, after checking that no Java exception escaped. */
int diskann_finish(JNIEnv *env, jint status);
int diskann_set_error(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
