"""Facts about the SDKs, the Cerebras API and its models, as data: the only place that spells
an SDK module name, a URL, an environment variable or a model id.

- ``sdk``: modules, client classes, exports, request methods and their keywords, endpoints,
  headers, URLs and key variables;
- ``models``: model ids on both sides and the default map;
- ``openai_params``: the keywords each openai release accepts (``data/openai_params.json``).

``tests/test_sdk_facts.py`` checks them against the installed packages' real signatures.
"""
