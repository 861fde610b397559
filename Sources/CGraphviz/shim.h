// Graphviz's layout and rendering library (Debian: libgraphviz-dev; pkg-config libgvc).
#include <gvc.h>

// gvRenderData's length parameter is `unsigned int *` up to Graphviz 2.x (Debian, Ubuntu) and
// `size_t *` from 3.0 on (Homebrew and newer distributions); this picks the right one at compile time.
static inline int modelc_gv_render_data(GVC_t *gvc, Agraph_t *graph, const char *format, char **result,
                                        size_t *length) {
    if (_Generic(&gvRenderData, int (*)(GVC_t *, graph_t *, const char *, char **, unsigned int *): 1,
                 default: 0)) {
        unsigned int small = 0;
        int status = gvRenderData(gvc, graph, format, result, (void *)&small);
        *length = small;
        return status;
    }
    return gvRenderData(gvc, graph, format, result, (void *)length);
}
