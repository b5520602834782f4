/* The README's example: create, build, search with and without a filter, handle errors. */
#include <stdio.h>
#include <stdlib.h>

#include "diskann.h"

#define TRY(call)                                                                                  \
    do {                                                                                           \
        int st_ = (call);                                                                          \
        if (st_ != DISKANN_OK) {                                                                   \
            fprintf(stderr, "%s failed: %s: %s\n", #call, diskann_status_name(st_), diskann_last_error()); \
            return 1;                                                                              \
        }                                                                                          \
    } while (0)

int main(void) {
    enum { N = 5000, D = 32 };
    float *vectors = malloc(sizeof(float) * N * D);
    uint64_t *offsets = malloc(sizeof(uint64_t) * (N + 1));
    int32_t *labels = malloc(sizeof(int32_t) * N);
    for (int i = 0; i < N * D; i++) vectors[i] = (float)rand() / RAND_MAX;
    for (int i = 0; i <= N; i++) offsets[i] = (uint64_t)i; /* one label per vector */
    for (int i = 0; i < N; i++) labels[i] = i % 20;

    diskann_params params;
    diskann_params_init(&params);
    params.max_degree = 32;
    diskann_index index;
    TRY(diskann_create(D, DISKANN_METRIC_L2, &params, &index));
    TRY(diskann_build(index, vectors, N, offsets, labels));

    int64_t ids[10];
    float distances[10];
    uint32_t found;
    diskann_search_params sp = {.list_size = 64};
    TRY(diskann_search(index, vectors + 42 * D, 10, &sp, NULL, ids, distances, &found));
    printf("nearest: %lld at %.3f\n", (long long)ids[0], distances[0]);

    int32_t seven = 7;
    diskann_filter only7 = {.kind = DISKANN_FILTER_LABEL, .label_count = 1, .labels = &seven};
    TRY(diskann_search(index, vectors + 42 * D, 10, &sp, &only7, ids, distances, &found));
    printf("nearest with label 7: %lld\n", (long long)ids[0]);

    int st = diskann_search(index, vectors, 0, NULL, NULL, ids, distances, &found); /* k = 0 */
    printf("k = 0 -> %s: %s\n", diskann_status_name(st), diskann_last_error());

    TRY(diskann_free(index));
    free(vectors);
    free(offsets);
    free(labels);
    return 0;
}
