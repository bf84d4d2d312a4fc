#include "conednn.h"

#include <dlfcn.h>
#include <stdio.h>

int convnet_onednn_load(const char *file, convnet_onednn_api *api, char *error, size_t error_size) {
    void *handle = dlopen(file, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        snprintf(error, error_size, "%s", dlerror());
        return -1;
    }
#define SYMBOL(field, name)                                                           \
    api->field = (__typeof__(api->field))dlsym(handle, name);                         \
    if (!api->field) {                                                                \
        snprintf(error, error_size, "%s has no %s", file, name);                      \
        dlclose(handle);                                                              \
        return -1;                                                                    \
    }
    SYMBOL(engine_create, "dnnl_engine_create")
    SYMBOL(stream_create, "dnnl_stream_create")
    SYMBOL(stream_destroy, "dnnl_stream_destroy")
    SYMBOL(memory_desc_init_by_tag, "dnnl_memory_desc_init_by_tag")
    SYMBOL(memory_desc_get_size, "dnnl_memory_desc_get_size")
    SYMBOL(memory_desc_equal, "dnnl_memory_desc_equal")
    SYMBOL(memory_create, "dnnl_memory_create")
    SYMBOL(memory_set_data_handle, "dnnl_memory_set_data_handle")
    SYMBOL(memory_get_data_handle, "dnnl_memory_get_data_handle")
    SYMBOL(memory_get_memory_desc, "dnnl_memory_get_memory_desc")
    SYMBOL(memory_destroy, "dnnl_memory_destroy")
    SYMBOL(convolution_forward_desc_init, "dnnl_convolution_forward_desc_init")
    SYMBOL(convolution_backward_data_desc_init, "dnnl_convolution_backward_data_desc_init")
    SYMBOL(convolution_backward_weights_desc_init, "dnnl_convolution_backward_weights_desc_init")
    SYMBOL(reorder_primitive_desc_create, "dnnl_reorder_primitive_desc_create")
    SYMBOL(primitive_attr_create, "dnnl_primitive_attr_create")
    SYMBOL(primitive_attr_destroy, "dnnl_primitive_attr_destroy")
    SYMBOL(primitive_attr_set_scratchpad_mode, "dnnl_primitive_attr_set_scratchpad_mode")
    SYMBOL(primitive_desc_create, "dnnl_primitive_desc_create")
    SYMBOL(primitive_desc_destroy, "dnnl_primitive_desc_destroy")
    SYMBOL(primitive_desc_query, "dnnl_primitive_desc_query")
    SYMBOL(primitive_desc_query_md, "dnnl_primitive_desc_query_md")
    SYMBOL(primitive_create, "dnnl_primitive_create")
    SYMBOL(primitive_destroy, "dnnl_primitive_destroy")
    SYMBOL(primitive_execute, "dnnl_primitive_execute")
    SYMBOL(set_max_cpu_isa, "dnnl_set_max_cpu_isa")
    SYMBOL(get_effective_cpu_isa, "dnnl_get_effective_cpu_isa")
    SYMBOL(version, "dnnl_version")
#undef SYMBOL
    return 0;
}
