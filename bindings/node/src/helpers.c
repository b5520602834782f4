/* Argument conversion and errors for the addon's functions. */
#include "addon.h"

napi_value make_error(napi_env env, int status, const char *message) {
    napi_value msg, code, err, st;
    napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &msg);
    napi_create_string_utf8(env, diskann_status_name(status), NAPI_AUTO_LENGTH, &code);
    napi_create_error(env, code, msg, &err);
    napi_create_int32(env, status, &st);
    napi_set_named_property(env, err, "status", st);
    return err;
}

/* Throws the library's error for status; returns 1 if it threw. */
int failed(napi_env env, int status) {
    if (status == DISKANN_OK) {
        return 0;
    }
    napi_throw(env, make_error(env, status, diskann_last_error()));
    return 1;
}

int throw_arg(napi_env env, const char *message) {
    napi_throw_type_error(env, "DISKANN_ERR_INVALID_ARGUMENT", message);
    return 1;
}

int get_handle(napi_env env, napi_value v, diskann_index *out) {
    bool lossless;
    if (napi_get_value_bigint_uint64(env, v, out, &lossless) != napi_ok) {
        return throw_arg(env, "the index handle must be a BigInt");
    }
    return 0;
}

int get_u32(napi_env env, napi_value v, uint32_t *out, const char *what) {
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
int get_typed(napi_env env, napi_value v, napi_typedarray_type want, void **data, size_t *length,
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

int get_string(napi_env env, napi_value v, char *buf, size_t cap, const char *what) {
    size_t len;
    if (napi_get_value_string_utf8(env, v, buf, cap, &len) != napi_ok || len + 1 >= cap) {
        char msg[128];
        snprintf(msg, sizeof msg, "%s must be a string shorter than %zu bytes", what, cap - 1);
        return throw_arg(env, msg);
    }
    return 0;
}

/* A filter object {kind, labels: Int32Array, bits: BigUint64Array, bitCount} or null. */
int get_filter(napi_env env, napi_value v, diskann_filter *f, const diskann_filter **out) {
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
    /* the library reads ceil(bitCount / 64) words: never more than the array holds */
    if (!(bc >= 0) || bc > 64.0 * (double)len || bc != (double)(uint64_t)bc) {
        return throw_arg(env, "filter.bitCount must be an integer within 64 * filter.bits.length");
    }
    f->bit_count = (uint64_t)bc;
    *out = f;
    return 0;
}

int get_id(napi_env env, napi_value v, int64_t *out, const char *what) {
    double d;
    if (napi_get_value_double(env, v, &d) != napi_ok || !(d >= -9007199254740991.0 && d <= 9007199254740991.0) ||
        d != (double)(int64_t)d) {
        char buf[128];
        snprintf(buf, sizeof buf, "%s must be an integer number", what);
        return throw_arg(env, buf);
    }
    *out = (int64_t)d;
    return 0;
}

int get_number(napi_env env, napi_value v, double *out, const char *what) {
    if (napi_get_value_double(env, v, out) != napi_ok) {
        char buf[128];
        snprintf(buf, sizeof buf, "%s must be a number", what);
        return throw_arg(env, buf);
    }
    return 0;
}

napi_value handle_value(napi_env env, diskann_index h) {
    napi_value v;
    napi_create_bigint_uint64(env, h, &v);
    return v;
}

napi_value undefined(napi_env env) {
    napi_value u;
    napi_get_undefined(env, &u);
    return u;
}

