#ifndef CONVNET_CONEDNN_H
#define CONVNET_CONEDNN_H

// oneDNN's C API, called through pointers the engine fills by dlopen (onednn.c): the
// library is loaded only when a net first needs it, so an idle kernel maps none of its
// 40 MB, and a machine without it falls back to the engine's own kernels.
#include <oneapi/dnnl/dnnl.h>
#include <stddef.h>

typedef struct {
    __typeof__(&dnnl_engine_create) engine_create;
    __typeof__(&dnnl_stream_create) stream_create;
    __typeof__(&dnnl_stream_destroy) stream_destroy;
    __typeof__(&dnnl_memory_desc_init_by_tag) memory_desc_init_by_tag;
    __typeof__(&dnnl_memory_desc_get_size) memory_desc_get_size;
    __typeof__(&dnnl_memory_desc_equal) memory_desc_equal;
    __typeof__(&dnnl_memory_create) memory_create;
    __typeof__(&dnnl_memory_set_data_handle) memory_set_data_handle;
    __typeof__(&dnnl_memory_get_data_handle) memory_get_data_handle;
    __typeof__(&dnnl_memory_get_memory_desc) memory_get_memory_desc;
    __typeof__(&dnnl_memory_destroy) memory_destroy;
    __typeof__(&dnnl_convolution_forward_desc_init) convolution_forward_desc_init;
    __typeof__(&dnnl_convolution_backward_data_desc_init) convolution_backward_data_desc_init;
    __typeof__(&dnnl_convolution_backward_weights_desc_init) convolution_backward_weights_desc_init;
    __typeof__(&dnnl_reorder_primitive_desc_create) reorder_primitive_desc_create;
    __typeof__(&dnnl_primitive_attr_create) primitive_attr_create;
    __typeof__(&dnnl_primitive_attr_destroy) primitive_attr_destroy;
    __typeof__(&dnnl_primitive_attr_set_scratchpad_mode) primitive_attr_set_scratchpad_mode;
    __typeof__(&dnnl_primitive_desc_create) primitive_desc_create;
    __typeof__(&dnnl_primitive_desc_destroy) primitive_desc_destroy;
    __typeof__(&dnnl_primitive_desc_query) primitive_desc_query;
    __typeof__(&dnnl_primitive_desc_query_md) primitive_desc_query_md;
    __typeof__(&dnnl_primitive_create) primitive_create;
    __typeof__(&dnnl_primitive_destroy) primitive_destroy;
    __typeof__(&dnnl_primitive_execute) primitive_execute;
    __typeof__(&dnnl_set_max_cpu_isa) set_max_cpu_isa;
    __typeof__(&dnnl_get_effective_cpu_isa) get_effective_cpu_isa;
    __typeof__(&dnnl_version) version;
} convnet_onednn_api;

/// dlopens `file` and fills `api`. Returns 0, or -1 with a reason in `error` (the library
/// or one of its symbols missing).
int convnet_onednn_load(const char *file, convnet_onednn_api *api, char *error, size_t error_size);

#endif
