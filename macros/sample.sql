{#- Deterministic pseudo-random number in [0, 1) from an integer expression and a salt.
    Pure integer arithmetic (a multiplicative hash, then a quadratic step so that
    different salts are not linearly related), identical on every machine and version. -#}
{% macro prand(x, salt) -%}
((((((({{ x }}) * 2654435761 + {{ salt }} * 2246822519) % 4294967291) % 1000003) * ((((({{ x }}) * 2654435761 + {{ salt }} * 2246822519) % 4294967291) % 1000003) + {{ salt }} * 7919 + 13)) % 999983) / 999983.0)
{%- endmacro %}
