"""Build step for the one compiled module; the project's metadata is in pyproject.toml.

``anomaly._forest_walk`` is the isolation forest's tree walk (see anomaly/forest_scoring.py).
It is optional: where it cannot be compiled, scoring uses scikit-learn's own tree walk and
gives the same scores, only slower.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "anomaly._forest_walk",
            sources=["anomaly/_forest_walk.c"],
            extra_compile_args=["-O3"],
            optional=True,
        )
    ]
)
