/* Shared by the addon's C files: argument conversion and errors (helpers.c), async work (async.c). */
#ifndef DISKANN_ADDON_H
#define DISKANN_ADDON_H
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

#define ARGS(n)                                                             \
    size_t argc = (n);                                                      \
    napi_value argv[(n) > 0 ? (n) : 1];                                     \
    NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));   \
    if (argc < (n)) {                                                       \
        throw_arg(env, "too few arguments");                                \
        return NULL;                                                        \
    }

napi_value make_error(napi_env env, int status, const char *message);
/* Throws the library's error for status; returns 1 if it threw. */
int failed(napi_env env, int status);
int throw_arg(napi_env env, const char *message);
int get_handle(napi_env env, napi_value v, diskann_index *out);
int get_u32(napi_env env, napi_value v, uint32_t *out, const char *what);
/* A TypedArray of the given type (or null/undefined when allow_null): its data and element count. */
int get_typed(napi_env env, napi_value v, napi_typedarray_type want, void **data, size_t *length, int allow_null,
              const char *what);
int get_string(napi_env env, napi_value v, char *buf, size_t cap, const char *what);
/* A filter object {kind, labels: Int32Array, bits: BigUint64Array, bitCount} or null. */
int get_filter(napi_env env, napi_value v, diskann_filter *f, const diskann_filter **out);
/* An integral Number (an id, a count) / any Number; both throw a TypeError otherwise. */
int get_id(napi_env env, napi_value v, int64_t *out, const char *what);
int get_number(napi_env env, napi_value v, double *out, const char *what);
napi_value handle_value(napi_env env, diskann_index h);
napi_value undefined(napi_env env);

napi_value js_build(napi_env env, napi_callback_info info);
napi_value js_batch_search(napi_env env, napi_callback_info info);

#endif
