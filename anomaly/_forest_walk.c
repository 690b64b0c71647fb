/*
 * Depth sums of an isolation forest packed into complete binary trees.
 *
 * anomaly/forest_scoring.py packs every tree of a fitted forest into the
 * heap layout of a complete tree of one common depth (node i has children
 * 2i+1 and 2i+2); a leaf shallower than that depth is padded with splits that
 * always go left, and its value fills every bottom leaf under it. So every row
 * takes exactly `depth` steps per tree and each step is the same few
 * instructions with no branch to mispredict.
 *
 * Rows are walked in tiles: one tree over a tile of rows, so a tree (a few
 * kilobytes) and the tile stay in the first-level cache; within a tile, groups
 * of rows descend together, independent work the processor overlaps. Per row, the
 * trees are summed in forest order from 0.0, the order scikit-learn's
 * score_samples sums them in, so the sums are equal bit for bit.
 *
 * Thresholds are float32 rounded down from scikit-learn's float64 ones: for a
 * float32 value x, x <= t exactly when x <= the largest float32 not above t.
 * The input may be float32 or float64, in either order: each tile of rows is
 * first copied into a small float32 row-major buffer, converted as
 * scikit-learn's own float32 copy of the input would be, so no float32 copy
 * of the whole matrix is made. NaN inputs are not walked here (scikit-learn
 * routes them per node): a block holding one is reported, and the Python side
 * scores it with scikit-learn instead.
 *
 * The walk runs without the GIL, so Python threads can each walk their rows.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

#define TILE_ROWS 256
/* Rows descending together: at 1M rows x 100 trees, 16 took 0.52 CPU s where 8 took 0.62-0.68 and
 * 4, 24 or 32 took 0.72-0.88 (8 leaves the loads' latency showing, more runs out of registers). */
#define GROUP_ROWS 16
#define MAX_DEPTH 24
/* Wider rows would make a tile outgrow the first-level cache; the Python side walks them with
 * scikit-learn. */
#define MAX_FEATURES 256

/* Copy rows [first, first + rows) of the input into a float32 tile (row-major), converting as
 * numpy's astype(float32) does; 0 when one of the values is NaN. */
static int
load_tile(const char *matrix, int itemsize, Py_ssize_t row_step, Py_ssize_t column_step, Py_ssize_t first,
          int rows, Py_ssize_t n_features, float *tile)
{
    int nan = 0;
    for (int r = 0; r < rows; r++) {
        const Py_ssize_t base = (first + r) * row_step;
        float *to = tile + (Py_ssize_t)r * n_features;
        if (itemsize == 8) {
            const double *from = (const double *)matrix;
            for (Py_ssize_t f = 0; f < n_features; f++) {
                const float value = (float)from[base + f * column_step];
                nan |= value != value;
                to[f] = value;
            }
        }
        else {
            const float *from = (const float *)matrix;
            for (Py_ssize_t f = 0; f < n_features; f++) {
                const float value = from[base + f * column_step];
                nan |= value != value;
                to[f] = value;
            }
        }
    }
    return !nan;
}

/* Depth sums of rows [start, stop); 0 (some rows' sums unwritten) when a row holds NaN. */
static int
walk_rows(const char *matrix, int itemsize, Py_ssize_t row_step, Py_ssize_t column_step,
          Py_ssize_t n_features, const int32_t *features, const float *thresholds, const double *leaves,
          Py_ssize_t n_trees, int depth, double *out, Py_ssize_t start, Py_ssize_t stop, float *tile)
{
    const Py_ssize_t inner = ((Py_ssize_t)1 << depth) - 1;
    double sum[TILE_ROWS];

    for (Py_ssize_t first = start; first < stop; first += TILE_ROWS) {
        const int rows = (int)((stop - first) < TILE_ROWS ? (stop - first) : TILE_ROWS);
        if (!load_tile(matrix, itemsize, row_step, column_step, first, rows, n_features, tile))
            return 0;
        for (int r = 0; r < rows; r++)
            sum[r] = 0.0;
        for (Py_ssize_t t = 0; t < n_trees; t++) {
            const int32_t *feature = features + t * inner;
            const float *threshold = thresholds + t * inner;
            /* Bottom leaf k of tree t sits at heap index inner + k. */
            const double *leaf = leaves + t * (inner + 1) - inner;
            int r0 = 0;
            /* GROUP_ROWS rows descend together: each level is GROUP_ROWS independent steps the
             * processor overlaps. */
            for (; r0 + GROUP_ROWS <= rows; r0 += GROUP_ROWS) {
                int32_t node[GROUP_ROWS];
                const float *row[GROUP_ROWS];
                for (int u = 0; u < GROUP_ROWS; u++) {
                    node[u] = 0;
                    row[u] = tile + (Py_ssize_t)(r0 + u) * n_features;
                }
                for (int level = 0; level < depth; level++) {
                    for (int u = 0; u < GROUP_ROWS; u++) {
                        const int32_t i = node[u];
                        node[u] = 2 * i + 1 + (row[u][feature[i]] > threshold[i]);
                    }
                }
                for (int u = 0; u < GROUP_ROWS; u++)
                    sum[r0 + u] += leaf[node[u]];
            }
            for (int r = r0; r < rows; r++) {
                const float *row = tile + (Py_ssize_t)r * n_features;
                int32_t i = 0;
                for (int level = 0; level < depth; level++)
                    i = 2 * i + 1 + (row[feature[i]] > threshold[i]);
                sum[r] += leaf[i];
            }
        }
        for (int r = 0; r < rows; r++)
            out[first + r] = sum[r];
    }
    return 1;
}

static int
check_buffer(const Py_buffer *buffer, Py_ssize_t itemsize, Py_ssize_t items, const char *name)
{
    if (buffer->len != itemsize * items) {
        PyErr_Format(PyExc_ValueError, "%s holds %zd bytes; %zd expected", name, buffer->len,
                     itemsize * items);
        return -1;
    }
    return 0;
}

PyDoc_STRVAR(depth_sums_doc,
             "depth_sums(matrix, itemsize, row_step, column_step, n_rows, n_features, features,\n"
             "           thresholds, leaves, n_trees, depth, out, start, stop)\n"
             "--\n\n"
             "Write into out[start:stop] each row's sum over the trees of its leaf's value; False\n"
             "(and those sums not all written) when one of the rows holds NaN, else True.\n\n"
             "matrix: float32 (itemsize 4) or float64 (8) values, the value of row r and feature f at\n"
             "item r * row_step + f * column_step (a C- or Fortran-ordered matrix); features (int32)\n"
             "and thresholds (float32): n_trees x (2**depth - 1) heap-ordered splits; leaves\n"
             "(float64): n_trees x 2**depth; out: float64 with at least stop items.");

static PyObject *
depth_sums(PyObject *Py_UNUSED(module), PyObject *args)
{
    Py_buffer matrix, features, thresholds, leaves, out;
    Py_ssize_t row_step, column_step, n_rows, n_features, n_trees, start, stop;
    int itemsize, depth;
    PyObject *result = NULL;

    if (!PyArg_ParseTuple(args, "y*innnny*y*y*niw*nn", &matrix, &itemsize, &row_step, &column_step, &n_rows,
                          &n_features, &features, &thresholds, &leaves, &n_trees, &depth, &out, &start, &stop))
        return NULL;
    if (depth < 0 || depth > MAX_DEPTH || n_trees < 0 || n_features < 1 || n_features > MAX_FEATURES ||
        n_rows < 0 || row_step < 0 || column_step < 0 || (itemsize != 4 && itemsize != 8)) {
        PyErr_SetString(PyExc_ValueError,
                        "depth, n_trees, n_features, n_rows, the steps or itemsize out of range");
        goto done;
    }
    {
        const Py_ssize_t inner = ((Py_ssize_t)1 << depth) - 1;
        /* The last item a row of the matrix reads must lie inside the buffer. */
        if (n_rows > 0 && (row_step > (PY_SSIZE_T_MAX / 2) / n_rows ||
                           column_step > (PY_SSIZE_T_MAX / 2) / n_features ||
                           ((n_rows - 1) * row_step + (n_features - 1) * column_step + 1) * itemsize >
                               matrix.len)) {
            PyErr_SetString(PyExc_ValueError, "matrix holds fewer items than its rows and steps say");
            goto done;
        }
        if (check_buffer(&features, sizeof(int32_t), n_trees * inner, "features") ||
            check_buffer(&thresholds, sizeof(float), n_trees * inner, "thresholds") ||
            check_buffer(&leaves, sizeof(double), n_trees * (inner + 1), "leaves"))
            goto done;
        if (start < 0 || stop < start || stop > n_rows || out.len < stop * (Py_ssize_t)sizeof(double)) {
            PyErr_SetString(PyExc_ValueError, "rows start:stop out of range of matrix or out");
            goto done;
        }
        /* A feature number outside the row would read outside the tile. */
        const int32_t *feature = (const int32_t *)features.buf;
        for (Py_ssize_t k = 0; k < n_trees * inner; k++) {
            if (feature[k] < 0 || feature[k] >= n_features) {
                PyErr_SetString(PyExc_ValueError, "a split's feature is outside the row");
                goto done;
            }
        }
        float *tile = PyMem_RawMalloc(sizeof(float) * TILE_ROWS * n_features);
        if (tile == NULL) {
            PyErr_NoMemory();
            goto done;
        }
        int walked;
        Py_BEGIN_ALLOW_THREADS
        walked = walk_rows((const char *)matrix.buf, itemsize, row_step, column_step, n_features, feature,
                           (const float *)thresholds.buf, (const double *)leaves.buf, n_trees, depth,
                           (double *)out.buf, start, stop, tile);
        Py_END_ALLOW_THREADS
        PyMem_RawFree(tile);
        result = PyBool_FromLong(walked);
    }
done:
    PyBuffer_Release(&matrix);
    PyBuffer_Release(&features);
    PyBuffer_Release(&thresholds);
    PyBuffer_Release(&leaves);
    PyBuffer_Release(&out);
    return result;
}

static PyMethodDef forest_walk_methods[] = {
    {"depth_sums", depth_sums, METH_VARARGS, depth_sums_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef forest_walk_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "anomaly._forest_walk",
    .m_doc = "Compiled isolation-forest depth sums (see anomaly/forest_scoring.py).",
    .m_size = 0,
    .m_methods = forest_walk_methods,
};

PyMODINIT_FUNC
PyInit__forest_walk(void)
{
    return PyModuleDef_Init(&forest_walk_module);
}
