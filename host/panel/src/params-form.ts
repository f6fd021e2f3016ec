import type { PluginInfo } from '@fluxir/sdk/client';
import { h, uid } from './dom';
import { humanize } from './format';

/** The subset of JSON Schema a plugin's parameters use (what zod's toJSONSchema emits). */
interface PropertySchema {
  readonly type?: string;
  readonly title?: string;
  readonly description?: string;
  readonly default?: unknown;
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly anyOf?: readonly PropertySchema[];
  readonly oneOf?: readonly PropertySchema[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly multipleOf?: number;
}

interface Field {
  readonly key: string;
  read(): unknown;
}

/**
 * The settings form of one plugin, built from its parameter schema: choices become a select,
 * numbers a number input with the schema's bounds, booleans a checkbox. The step budget is
 * always there, bounded by the plugin's own budget.
 */
export class ParamsForm {
  readonly element = h('div', { class: 'params' });
  private fields: Field[] = [];
  private stepsInput: HTMLInputElement | undefined;

  show(plugin: PluginInfo | undefined): void {
    this.element.replaceChildren();
    this.fields = [];
    this.stepsInput = undefined;
    if (!plugin) return;
    const properties = (plugin.paramsSchema.properties ?? {}) as Record<string, PropertySchema>;
    for (const [key, schema] of Object.entries(properties)) {
      const field = this.buildField(key, schema);
      if (field) this.fields.push(field);
    }
    this.stepsInput = this.numberInput('steps', 'Steps', `${plugin.stepBudget.min}–${plugin.stepBudget.max}; the default, ${plugin.stepBudget.default}, is the measured best for this task`, {
      minimum: plugin.stepBudget.min,
      maximum: plugin.stepBudget.max,
      default: plugin.stepBudget.default,
      multipleOf: 1,
    });
  }

  /** The parameters to submit (validated again by the host). */
  params(): Record<string, unknown> {
    return Object.fromEntries(this.fields.map((field) => [field.key, field.read()]).filter(([, value]) => value !== undefined));
  }

  steps(): number | undefined {
    const value = this.stepsInput?.valueAsNumber;
    return value === undefined || Number.isNaN(value) ? undefined : Math.round(value);
  }

  setDisabled(disabled: boolean): void {
    for (const control of this.element.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')) {
      control.disabled = disabled;
    }
  }

  private buildField(key: string, schema: PropertySchema): Field | undefined {
    const label = schema.title ?? humanize(key);
    const choices = choicesOf(schema);
    if (choices) return this.selectField(key, label, schema, choices);
    if (schema.type === 'number' || schema.type === 'integer') {
      const input = this.numberInput(key, label, schema.description, {
        ...schema,
        multipleOf: schema.multipleOf ?? (schema.type === 'integer' ? 1 : undefined),
      });
      return { key, read: () => (Number.isNaN(input.valueAsNumber) ? undefined : input.valueAsNumber) };
    }
    if (schema.type === 'boolean') {
      const id = uid('param');
      const input = h('input', { type: 'checkbox', id, name: key, checked: schema.default === true });
      this.element.append(h('div', { class: 'field field-check' }, input, h('label', { for: id }, label), hint(input, schema.description)));
      return { key, read: () => input.checked };
    }
    if (schema.type === 'string') {
      const id = uid('param');
      const input = h('input', { type: 'text', id, name: key, value: typeof schema.default === 'string' ? schema.default : undefined });
      this.element.append(h('div', { class: 'field' }, h('label', { for: id }, label), input, hint(input, schema.description)));
      return { key, read: () => (input.value === '' ? undefined : input.value) };
    }
    return undefined;
  }

  private selectField(key: string, label: string, schema: PropertySchema, choices: readonly unknown[]): Field {
    const id = uid('param');
    const select = h('select', { id, name: key });
    if (schema.default === undefined) select.append(h('option', { value: '' }, 'Default'));
    choices.forEach((choice, index) => {
      select.append(h('option', { value: String(index), selected: choice === schema.default }, choiceLabel(key, choice)));
    });
    this.element.append(h('div', { class: 'field' }, h('label', { for: id }, label), select, hint(select, schema.description)));
    return { key, read: () => (select.value === '' ? undefined : choices[Number(select.value)]) };
  }

  private numberInput(name: string, label: string, description: string | undefined, schema: PropertySchema): HTMLInputElement {
    const id = uid('param');
    const input = h('input', {
      type: 'number',
      id,
      name,
      inputmode: 'decimal',
      min: schema.minimum,
      max: schema.maximum,
      step: schema.multipleOf ?? 'any',
      value: typeof schema.default === 'number' ? schema.default : undefined,
    });
    this.element.append(h('div', { class: 'field' }, h('label', { for: id }, label), input, hint(input, description)));
    return input;
  }
}

function choicesOf(schema: PropertySchema): readonly unknown[] | undefined {
  if (schema.enum) return schema.enum;
  const options = schema.anyOf ?? schema.oneOf;
  if (options && options.every((option) => option.const !== undefined)) return options.map((option) => option.const);
  return undefined;
}

function choiceLabel(key: string, choice: unknown): string {
  return key === 'scale' && typeof choice === 'number' ? `×${choice}` : String(choice);
}

/** The field's help text, announced with it by screen readers. */
function hint(control: HTMLElement, text: string | undefined): HTMLElement | null {
  if (!text) return null;
  const id = uid('hint');
  control.setAttribute('aria-describedby', id);
  return h('p', { class: 'hint', id }, text);
}
