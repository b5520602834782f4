/*
 * Starting (or finding) the JVM inside the calling process, and attaching threads to it.
 * See diskann.h for the rules that find Java and the library's jars.
 */
#define _GNU_SOURCE
#include "internal.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MIN_JDK 25

__thread char diskann_t_err[DISKANN_ERROR_CAPACITY];

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
/* Published with release/acquire ordering: a thread that sees it also sees diskann_bridge and diskann_m. */
static JavaVM *g_vm;
static int g_create_failed; /* JNI_CreateJavaVM itself failed: a JVM cannot be created again in this process */
static char g_fail[DISKANN_ERROR_CAPACITY];
static char **g_user_opts;
static uint32_t g_user_nopts;
static pthread_key_t g_detach_key;

jclass diskann_bridge;
struct diskann_methods diskann_m;

int diskann_set_error(int status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(diskann_t_err, sizeof diskann_t_err, fmt, ap);
    va_end(ap);
    return status;
}

static int jdk_major(const char *home) {
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/release", home);
    FILE *f = fopen(path, "r");
    if (!f) {
        return 0;
    }
    char line[512];
    int v = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "JAVA_VERSION=\"", 14) == 0) {
            v = atoi(line + 14);
            break;
        }
    }
    fclose(f);
    return v;
}

static int has_libjvm(const char *home) {
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/lib/server/libjvm.so", home);
    return access(path, R_OK) == 0;
}

/* Fills home with a JDK >= MIN_JDK: DISKANN_JAVA_HOME, JAVA_HOME, then the newest under the usual roots. */
static int find_java_home(char *home, size_t cap) {
    const char *forced = getenv("DISKANN_JAVA_HOME");
    if (forced && *forced) {
        if (!has_libjvm(forced)) {
            return diskann_set_error(DISKANN_ERR_JVM, "DISKANN_JAVA_HOME=%s has no lib/server/libjvm.so", forced);
        }
        snprintf(home, cap, "%s", forced);
        return DISKANN_OK;
    }
    const char *jh = getenv("JAVA_HOME");
    if (jh && *jh && jdk_major(jh) >= MIN_JDK && has_libjvm(jh)) {
        snprintf(home, cap, "%s", jh);
        return DISKANN_OK;
    }
    static const char *roots[] = {"/usr/lib/jvm", "/usr/java", "/opt/java", NULL};
    int best = 0;
    for (int r = 0; roots[r]; r++) {
        DIR *d = opendir(roots[r]);
        if (!d) {
            continue;
        }
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.') {
                continue;
            }
            char cand[PATH_MAX];
            snprintf(cand, sizeof cand, "%s/%s", roots[r], e->d_name);
            int v = jdk_major(cand);
            if (v >= MIN_JDK && v > best && has_libjvm(cand)) {
                best = v;
                snprintf(home, cap, "%s", cand);
            }
        }
        closedir(d);
    }
    if (best == 0) {
        return diskann_set_error(DISKANN_ERR_JVM,
                                 "found no JDK >= %d (JAVA_HOME=%s): install one (e.g. temurin-25-jdk) or set "
                                 "DISKANN_JAVA_HOME to it",
                                 MIN_JDK, jh ? jh : "(unset)");
    }
    return DISKANN_OK;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "-Djava.class.path=" + DISKANN_CLASSPATH, or every jar in <this library's directory>/jars. */
static char *class_path_option(void) {
    const char *env = getenv("DISKANN_CLASSPATH");
    if (env && *env) {
        size_t n = strlen(env) + 32;
        char *o = malloc(n);
        if (o) {
            snprintf(o, n, "-Djava.class.path=%s", env);
        } else {
            diskann_set_error(DISKANN_ERR_JVM, "out of memory building the class path");
        }
        return o;
    }
    Dl_info info;
    if (!dladdr((void *)diskann_version, &info) || !info.dli_fname) {
        diskann_set_error(DISKANN_ERR_JVM, "cannot tell where libdiskann is (dladdr failed); set DISKANN_CLASSPATH");
        return NULL;
    }
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", info.dli_fname);
    char *slash = strrchr(dir, '/');
    if (slash) {
        *slash = 0;
    } else {
        snprintf(dir, sizeof dir, ".");
    }
    char jars[PATH_MAX];
    snprintf(jars, sizeof jars, "%s/jars", dir);
    DIR *d = opendir(jars);
    if (!d) {
        diskann_set_error(DISKANN_ERR_JVM, "no jars directory at %s (build bindings/c with Maven, or set DISKANN_CLASSPATH)", jars);
        return NULL;
    }
    char *names[1024];
    int count = 0;
    size_t total = 64;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && count < 1024) {
        size_t len = strlen(e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".jar") == 0) {
            names[count] = strdup(e->d_name);
            total += strlen(jars) + len + 2;
            count++;
        }
    }
    closedir(d);
    if (count == 0) {
        diskann_set_error(DISKANN_ERR_JVM, "no jars in %s (build bindings/c with Maven, or set DISKANN_CLASSPATH)", jars);
        return NULL;
    }
    qsort(names, count, sizeof names[0], cmp_str);
    char *o = malloc(total);
    if (o) {
        strcpy(o, "-Djava.class.path=");
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                strcat(o, ":");
            }
            strcat(o, jars);
            strcat(o, "/");
            strcat(o, names[i]);
        }
    }
    for (int i = 0; i < count; i++) {
        free(names[i]);
    }
    if (!o) {
        diskann_set_error(DISKANN_ERR_JVM, "out of memory building the class path");
    }
    return o;
}

/*
 * Go (and other runtimes that run on alternate signal stacks) crash on the next signal when a handler was
 * installed without SA_ONSTACK; the JVM installs its handlers without it. Adding the flag keeps the JVM's
 * handlers and lets them run on whatever stack the thread chose.
 */
static void add_sa_onstack(void) {
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP) {
            continue;
        }
        struct sigaction sa;
        if (sigaction(sig, NULL, &sa) != 0) {
            continue;
        }
        if (sa.sa_handler == SIG_DFL || sa.sa_handler == SIG_IGN || (sa.sa_flags & SA_ONSTACK)) {
            continue;
        }
        sa.sa_flags |= SA_ONSTACK;
        sigaction(sig, &sa, NULL);
    }
}

static JavaVM *loaded_vm(void) {
    return __atomic_load_n(&g_vm, __ATOMIC_ACQUIRE);
}

static void detach_thread(void *unused) {
    (void)unused;
    JavaVM *vm = loaded_vm();
    if (vm) {
        (*vm)->DetachCurrentThread(vm);
    }
}

#define METHOD(field, name, sig)                                                                    \
    do {                                                                                            \
        diskann_m.field = (*env)->GetStaticMethodID(env, diskann_bridge, name, sig);                \
        if (!diskann_m.field) {                                                                     \
            (*env)->ExceptionClear(env);                                                            \
            return diskann_set_error(DISKANN_ERR_JVM, "the jars on the class path lack "            \
                                     "NativeBridge.%s%s (a jar of another version?)", name, sig);   \
        }                                                                                           \
    } while (0)

/* NativeBridge through ClassLoader.loadClass: the system loader, then this thread's context loader. FindClass
 * alone uses the loader of the Java frame that called into C, which may not see the class path (e.g. a
 * downcall from a class loaded by another loader, as a JVM that was already running may have). */
static jclass load_bridge(JNIEnv *env) {
    jclass c = (*env)->FindClass(env, "io/diskann/capi/NativeBridge");
    if (c) {
        return c;
    }
    (*env)->ExceptionClear(env);
    jclass loader_class = (*env)->FindClass(env, "java/lang/ClassLoader");
    jclass thread_class = (*env)->FindClass(env, "java/lang/Thread");
    if (!loader_class || !thread_class) {
        (*env)->ExceptionClear(env);
        return NULL;
    }
    jmethodID system = (*env)->GetStaticMethodID(env, loader_class, "getSystemClassLoader", "()Ljava/lang/ClassLoader;");
    jmethodID load = (*env)->GetMethodID(env, loader_class, "loadClass", "(Ljava/lang/String;)Ljava/lang/Class;");
    jmethodID current = (*env)->GetStaticMethodID(env, thread_class, "currentThread", "()Ljava/lang/Thread;");
    jmethodID context = (*env)->GetMethodID(env, thread_class, "getContextClassLoader", "()Ljava/lang/ClassLoader;");
    jstring name = (*env)->NewStringUTF(env, "io.diskann.capi.NativeBridge");
    jobject loaders[2] = {NULL, NULL};
    if (system && load && current && context && name) {
        loaders[0] = (*env)->CallStaticObjectMethod(env, loader_class, system);
        (*env)->ExceptionClear(env);
        jobject thread = (*env)->CallStaticObjectMethod(env, thread_class, current);
        (*env)->ExceptionClear(env);
        if (thread) {
            loaders[1] = (*env)->CallObjectMethod(env, thread, context);
            (*env)->ExceptionClear(env);
        }
        for (int i = 0; i < 2 && !c; i++) {
            if (loaders[i]) {
                c = (jclass)(*env)->CallObjectMethod(env, loaders[i], load, name);
                if ((*env)->ExceptionCheck(env)) {
                    (*env)->ExceptionClear(env);
                    c = NULL;
                }
            }
        }
    }
    (*env)->ExceptionClear(env);
    return c;
}

static int cache_methods(JNIEnv *env) {
    jclass c = load_bridge(env);
    if (!c) {
        (*env)->ExceptionClear(env);
        return diskann_set_error(DISKANN_ERR_JVM,
                                 "class io.diskann.capi.NativeBridge is not on the JVM's class path (a JVM that was "
                                 "already running in this process must have diskann's jars on its class path)");
    }
    diskann_bridge = (*env)->NewGlobalRef(env, c);
    (*env)->DeleteLocalRef(env, c);
    METHOD(create, "create", "(IIJJJ)I");
    METHOD(build, "build", "(JJJJJJ)I");
    METHOD(load, "load", "(JJJ)I");
    METHOD(load_pq, "loadPq", "(JJJ)I");
    METHOD(open_disk, "openDisk", "(JJIJJ)I");
    METHOD(save, "save", "(JJJ)I");
    METHOD(free_, "free", "(JJ)I");
    METHOD(search, "search", "(JJIJJJJJJ)I");
    METHOD(batch_search, "batchSearch", "(JJJIJJJJJJ)I");
    METHOD(range_search, "rangeSearch", "(JJFJJJJJJJ)I");
    METHOD(insert, "insert", "(JJJIJJ)I");
    METHOD(delete_, "delete", "(JJJ)I");
    METHOD(update, "update", "(JJJJIJ)I");
    METHOD(consolidate, "consolidate", "(JJJ)I");
    METHOD(stats, "stats", "(JJJ)I");
    METHOD(compress_pq, "compressPq", "(JIJ)I");
    METHOD(cache_from_queries, "cacheFromQueries", "(JJJIJIJJ)I");
    METHOD(open_handles, "openHandles", "()I");
    return DISKANN_OK;
}

typedef jint (*create_vm_fn)(JavaVM **, void **, void *);
typedef jint (*created_vms_fn)(JavaVM **, jsize, jsize *);

/* Called with g_lock held. */
static int start_locked(void) {
    if (loaded_vm()) {
        return DISKANN_OK;
    }
    static int key_made;
    if (!key_made) {
        if (pthread_key_create(&g_detach_key, detach_thread) != 0) {
            return diskann_set_error(DISKANN_ERR_JVM, "pthread_key_create failed");
        }
        key_made = 1;
    }
    if (g_create_failed) {
        return diskann_set_error(DISKANN_ERR_JVM, "%s", g_fail);
    }
    JavaVM *vm = NULL;
    JNIEnv *env = NULL;
    int attached_here = 0;
    created_vms_fn created = (created_vms_fn)dlsym(RTLD_DEFAULT, "JNI_GetCreatedJavaVMs");
    jsize nvms = 0;
    if (created && created(&vm, 1, &nvms) == JNI_OK && nvms > 0) {
        /* a JVM already runs in this process (e.g. we were loaded by Java): use it */
        if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_10) == JNI_EDETACHED) {
            if ((*vm)->AttachCurrentThreadAsDaemon(vm, (void **)&env, NULL) != JNI_OK) {
                return diskann_set_error(DISKANN_ERR_JVM, "cannot attach to the JVM already running in this process");
            }
            attached_here = 1;
        }
    } else {
        char home[PATH_MAX];
        int st = find_java_home(home, sizeof home);
        if (st) {
            return st;
        }
        char lib[PATH_MAX];
        snprintf(lib, sizeof lib, "%s/lib/server/libjvm.so", home);
        void *h = dlopen(lib, RTLD_NOW | RTLD_GLOBAL);
        if (!h) {
            return diskann_set_error(DISKANN_ERR_JVM, "cannot load %s: %s", lib, dlerror());
        }
        create_vm_fn create = (create_vm_fn)dlsym(h, "JNI_CreateJavaVM");
        if (!create) {
            return diskann_set_error(DISKANN_ERR_JVM, "%s has no JNI_CreateJavaVM", lib);
        }
        char *cp = class_path_option();
        if (!cp) {
            return DISKANN_ERR_JVM;
        }
        JavaVMOption opts[64];
        int n = 0;
        opts[n++].optionString = cp;
        opts[n++].optionString = "--add-modules=jdk.incubator.vector";
        opts[n++].optionString = "--enable-native-access=ALL-UNNAMED";
        opts[n++].optionString = "-Xrs"; /* leave SIGINT, SIGTERM, SIGHUP and SIGQUIT to the host process */
        char *env_opts = getenv("DISKANN_JVM_OPTS") ? strdup(getenv("DISKANN_JVM_OPTS")) : NULL;
        if (env_opts) {
            for (char *save = NULL, *tok = strtok_r(env_opts, " \t", &save); tok && n < 48; tok = strtok_r(NULL, " \t", &save)) {
                opts[n++].optionString = tok;
            }
        }
        for (uint32_t i = 0; i < g_user_nopts && n < 64; i++) {
            opts[n++].optionString = g_user_opts[i];
        }
        for (int i = 0; i < n; i++) {
            opts[i].extraInfo = NULL;
        }
        JavaVMInitArgs args;
        args.version = JNI_VERSION_10;
        args.nOptions = n;
        args.options = opts;
        args.ignoreUnrecognized = JNI_FALSE;
        jint rc = create(&vm, (void **)&env, &args);
        free(cp);
        free(env_opts);
        if (rc != JNI_OK) {
            g_create_failed = 1;
            snprintf(g_fail, sizeof g_fail,
                     "JNI_CreateJavaVM failed (%d) with the JDK at %s; check DISKANN_JVM_OPTS and diskann_init options "
                     "(the JVM printed why on stderr)",
                     (int)rc, home);
            return diskann_set_error(DISKANN_ERR_JVM, "%s", g_fail);
        }
        add_sa_onstack();
        attached_here = 1; /* JNI_CreateJavaVM attached this thread: detach it when it exits, like any other */
    }
    int st = cache_methods(env);
    if (st) {
        if (attached_here && nvms > 0) {
            (*vm)->DetachCurrentThread(vm); /* only our own attachment to somebody else's JVM */
        }
        return st;
    }
    if (attached_here) {
        pthread_setspecific(g_detach_key, (void *)1);
    }
    __atomic_store_n(&g_vm, vm, __ATOMIC_RELEASE);
    return DISKANN_OK;
}

int diskann_env(JNIEnv **out) {
    diskann_t_err[0] = 0;
    JavaVM *vm = loaded_vm();
    if (!vm) {
        pthread_mutex_lock(&g_lock);
        int st = start_locked();
        pthread_mutex_unlock(&g_lock);
        if (st) {
            return st;
        }
        vm = loaded_vm();
    }
    jint rc = (*vm)->GetEnv(vm, (void **)out, JNI_VERSION_10);
    if (rc == JNI_OK) {
        return DISKANN_OK;
    }
    if (rc == JNI_EDETACHED) {
        if ((*vm)->AttachCurrentThreadAsDaemon(vm, (void **)out, NULL) != JNI_OK) {
            return diskann_set_error(DISKANN_ERR_JVM, "cannot attach this thread to the JVM (out of memory?)");
        }
        pthread_setspecific(g_detach_key, (void *)1); /* detached when the thread exits */
        return DISKANN_OK;
    }
    return diskann_set_error(DISKANN_ERR_JVM, "JNI GetEnv failed (%d)", (int)rc);
}

int diskann_finish(JNIEnv *env, jint status) {
    if ((*env)->ExceptionCheck(env)) {
        /* NativeBridge catches every Throwable; only a failure while reporting one gets here */
        (*env)->ExceptionClear(env);
        return diskann_set_error(DISKANN_ERR_INTERNAL, "a Java exception escaped the bridge (out of memory or stack?)");
    }
    if (status != DISKANN_OK && diskann_t_err[0] == 0) { /* the bridge could not even write its message */
        return diskann_set_error((int)status, "%s (no message: the JVM could not write one, out of memory?)",
                                 diskann_status_name((int)status));
    }
    return (int)status;
}

int diskann_init(const char *const *jvm_options, uint32_t option_count) {
    diskann_t_err[0] = 0;
    pthread_mutex_lock(&g_lock);
    if (loaded_vm()) {
        pthread_mutex_unlock(&g_lock);
        return option_count == 0 ? DISKANN_OK
                                 : diskann_set_error(DISKANN_ERR_STATE, "the JVM already runs; its options cannot change now");
    }
    if (option_count > 16 || (option_count > 0 && !jvm_options)) {
        pthread_mutex_unlock(&g_lock);
        return diskann_set_error(DISKANN_ERR_INVALID_ARGUMENT, "give 0..16 JVM options (got %u)", option_count);
    }
    for (uint32_t i = 0; i < g_user_nopts; i++) {
        free(g_user_opts[i]);
    }
    free(g_user_opts);
    g_user_opts = option_count ? calloc(option_count, sizeof(char *)) : NULL;
    g_user_nopts = 0;
    for (uint32_t i = 0; i < option_count; i++) {
        if (!jvm_options[i]) {
            pthread_mutex_unlock(&g_lock);
            return diskann_set_error(DISKANN_ERR_INVALID_ARGUMENT, "JVM option %u is NULL", i);
        }
        g_user_opts[g_user_nopts++] = strdup(jvm_options[i]);
    }
    int st = start_locked();
    pthread_mutex_unlock(&g_lock);
    return st;
}
